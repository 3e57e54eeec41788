/**
 * The test OTLP receiver as its own process, for benchmarks that must not count the
 * collector's work as the app's: prints `listening <url>`, forgets spans as they arrive, and
 * prints `spans <total>` when stopped with SIGTERM.
 *   npx tsx tests/support/otlp-receiver-cli.ts
 */
import { startOtlpReceiver } from './otlp-receiver.ts'

const receiver = await startOtlpReceiver()
let total = 0
setInterval(() => {
  total += receiver.spans.length
  receiver.reset()
}, 200).unref()
console.log(`listening ${receiver.url}`)
process.once('SIGTERM', () => {
  total += receiver.spans.length
  console.log(`spans ${total}`)
  void receiver.close().then(() => process.exit(0))
})
