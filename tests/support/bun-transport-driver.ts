/**
 * Runs provider calls through Bun's socket transport (`bun-provider-fetch.ts`), under Bun,
 * for `tests/runtime/bun-provider-fetch.test.ts`: the calls come as JSON in the first
 * argument, one after the other, and each call's outcome is printed as one JSON line.
 *   bun tests/support/bun-transport-driver.ts '{"calls":[{"url":"http://…","body":"{}"}]}'
 */
import { bunProviderFetch } from '../../src/runtime/bun-provider-fetch.ts'

interface Call {
  url: string
  body?: string
  headers?: Record<string, string>
  /** `text`: the whole body; `leave`: the first piece, then stop reading; `abort`: the first
   * piece, then abort the request's signal; `late`: the whole body, from 200 ms after its head
   * (what has arrived by then waits, and the connection stops reading past 1 MiB). */
  read?: 'text' | 'leave' | 'abort' | 'late'
  /** Waits this long before the call (lets an upstream close idle connections). */
  waitMs?: number
  /** Aborts the call this long after it starts. */
  abortAfterMs?: number
}

const plan = JSON.parse(process.argv[2] ?? '{}') as { calls: Call[] }
const fellBack: string[] = []
const transport = bunProviderFetch({
  fallback: async (url) => {
    fellBack.push(url)
    return new Response('{"fallback":true}', { status: 200 })
  },
})

for (const call of plan.calls) {
  if (call.waitMs) await new Promise((done) => setTimeout(done, call.waitMs))
  const controller = new AbortController()
  const timer = call.abortAfterMs ? setTimeout(() => controller.abort(), call.abortAfterMs) : 0
  try {
    const response = await transport(call.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...call.headers },
      body: call.body ?? '{}',
      signal: controller.signal,
    })
    const outcome: Record<string, unknown> = {
      status: response.status,
      ok: response.ok,
      headers: Object.fromEntries(response.headers),
    }
    if (call.read === 'late') {
      await new Promise((done) => setTimeout(done, 200))
      outcome.length = (await response.text()).length
    } else if ((call.read ?? 'text') === 'text') {
      outcome.text = await response.text()
    } else {
      const pieces = (response.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
      const first = await pieces.next()
      outcome.first = new TextDecoder().decode(first.value)
      if (call.read === 'abort') {
        controller.abort()
        outcome.afterAbort = await pieces.next().then(
          (step) => (step.done ? 'done' : 'more'),
          (error: Error) => `error: ${error.name}`,
        )
      } else {
        await pieces.return?.()
      }
    }
    console.log(JSON.stringify(outcome))
  } catch (error) {
    const { name, message } = error as Error
    console.log(JSON.stringify({ error: { name, message } }))
  } finally {
    clearTimeout(timer)
  }
}
console.log(JSON.stringify({ fellBack }))
// Kept-alive connections would hold the process open.
process.exit(0)
