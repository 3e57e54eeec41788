/**
 * What telemetry costs: the same app in process, twice, side by side in one run: tracing off
 * (no OTEL_EXPORTER_OTLP_ENDPOINT; metrics are always kept) and tracing on, exporting every
 * span over OTLP/HTTP to a local receiver in another process (so its parsing is not counted).
 *   npx tsx bench/telemetry/overhead.ts [--rounds 8] [--per-round 40]
 * Workloads, through `app.request`: a REST chat turn in which the demo model calls the
 * calculator (request, two model calls, a tool call, history writes, the run log), timed until
 * the run has finished, and `/v1/chat/completions` without streaming. The demo model answers
 * at once (DEMO_WORD_DELAY_MS=0), so these are the cheapest turns there are: against a real
 * model's seconds the same absolute cost is a far smaller share. Rounds alternate which app goes
 * first, so drift (JIT warm-up, GC) falls on both. Prints p50, mean and the on/off ratio.
 */

import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { enableAsyncContext } from '../../src/runtime/async-context.ts'
import { createApiApp } from '../../tests/support/api-app.ts'
import { printTable, summarise } from '../stores/bench-table.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? Number(args[at + 1]) : fallback
}
const rounds = option('rounds', 8)
const perRound = option('per-round', 40)

enableAsyncContext()
const receiver = spawn(
  process.execPath,
  ['--import', 'tsx', 'tests/support/otlp-receiver-cli.ts'],
  { cwd: resolve(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
)
let receiverOutput = ''
const receiverUrl = await new Promise<string>((ready) => {
  receiver.stdout?.on('data', (chunk: Buffer) => {
    receiverOutput += chunk.toString()
    const url = /listening (\S+)/.exec(receiverOutput)?.[1]
    if (url) ready(url)
  })
})
const off = await createApiApp()
const on = await createApiApp({ OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl })

type App = typeof off
const workloads: { name: string; prepare(app: App): Promise<() => Promise<void>> }[] = [
  {
    // Started with 202 and timed until the run has finished in the background: reading the
    // events back (tailing the run log) would add its polling, which is not telemetry's.
    name: 'chat turn with a tool call (REST, run to its end)',
    async prepare(app) {
      const { secret } = await app.user('bench')
      const headers = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }
      return async () => {
        const created = await app.fetch('/api/conversations', {
          method: 'POST',
          body: '{}',
          headers,
        })
        const { id } = (await created.json()) as { id: string }
        const response = await app.fetch(`/api/conversations/${id}/messages`, {
          method: 'POST',
          body: JSON.stringify({ content: 'what is 12 * (3 + 4)?' }),
          headers,
        })
        if (response.status !== 202) throw new Error(`HTTP ${response.status}`)
        await response.text()
        await app.background.drain(5000)
      }
    },
  },
  {
    name: '/v1/chat/completions (not streamed)',
    async prepare(app) {
      const { secret } = await app.user('bench')
      return async () => {
        const response = await app.fetch('/v1/chat/completions', {
          method: 'POST',
          headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            model: 'demo:demo',
            messages: [{ role: 'user', content: 'hello there' }],
          }),
        })
        if (response.status !== 200) throw new Error(`HTTP ${response.status}`)
        await response.text()
      }
    },
  },
]

const rows: (string | number)[][] = []
for (const workload of workloads) {
  const run = { off: await workload.prepare(off), on: await workload.prepare(on) }
  const samples = { off: [] as number[], on: [] as number[] }
  // CPU time per request is steadier than wall time on a busy machine.
  const cpu = { off: 0, on: 0 }
  for (let i = 0; i < 20; i++) await Promise.all([run.off(), run.on()]) // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)
    for (const mode of order) {
      const cpuStart = process.cpuUsage()
      for (let i = 0; i < perRound; i++) {
        const start = performance.now()
        await run[mode]()
        samples[mode].push(performance.now() - start)
      }
      await off.background.drain(5000)
      await on.background.drain(5000)
      if (mode === 'on') await on.services.telemetry.tracing?.flush()
      const used = process.cpuUsage(cpuStart)
      cpu[mode] += (used.user + used.system) / 1000
    }
  }
  const a = summarise(samples.off)
  const b = summarise(samples.on)
  const cpuOff = cpu.off / a.n
  const cpuOn = cpu.on / b.n
  const change = (x: number, y: number) => `${((y / x - 1) * 100).toFixed(1)}%`
  rows.push([workload.name, 'off', a.n, a.p50, a.p95, a.mean, cpuOff, ''])
  rows.push([
    '',
    'on',
    b.n,
    b.p50,
    b.p95,
    b.mean,
    cpuOn,
    `${change(a.p50, b.p50)} p50, ${change(a.mean, b.mean)} mean, ${change(cpuOff, cpuOn)} CPU`,
  ])
}
await on.services.telemetry.tracing?.flush()
printTable(
  ['workload', 'tracing', 'n', 'p50 ms', 'p95 ms', 'mean ms', 'CPU ms/req', 'on vs off'],
  rows,
)
const stopped = new Promise((done) => receiver.once('exit', done))
receiver.kill('SIGTERM')
await stopped
console.log(`${/spans \d+/.exec(receiverOutput)?.[0] ?? 'spans ?'} received by the collector`)
process.exit(0)
