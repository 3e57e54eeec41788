/**
 * CPU per completed `/v1/chat/completions` request, this checkout against another one (a
 * baseline: say a worktree of main), both served by the same runtime on the same mock LLM,
 * measured in alternating `wrk` bursts so a shared machine's load falls on both alike:
 *   npx tsx bench/gateway/cpu-per-request.ts --baseline ../main [--runtime bun|node]
 *     [--clients 50] [--stream] [--pairs 3] [--rounds 4] [--seconds 4] [--baseline-from-source]
 * The baseline needs its own (or a linked) node_modules. On Node each checkout is served from
 * the bundle `npm run build:node` makes (built into its dist/); `--baseline-from-source` serves
 * the baseline through tsx instead, as a checkout from before that bundle has to be. CPU is the server process tree's
 * user + system time from /proc (Linux), over the requests wrk completed: a ratio below 1
 * means this checkout spends less per request. Throughput and p99 per burst are printed too,
 * but on a loaded machine only the CPU ratio is steady. Each of `--pairs` pairs of fresh
 * processes (started in turn, this checkout first or the baseline) runs `--rounds` bursts each;
 * the ratio is over all of them, and each pair's own is printed: with one pair, the same code
 * on both sides measured 0.87–1.11. Needs `wrk` on PATH.
 */
import { spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { hashApiKey, newApiKeySecret } from '../../src/core/auth/api-key-secret.ts'
import { freePort, startRuntime, waitUntilReady } from '../../tests/support/runtime-process.ts'
import { cpuMs, processTree, sumStatus } from '../startup/process-tree.ts'
import { wrkLoad } from './load.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? String(args[at + 1]) : fallback
}
const runtime = option('runtime', 'bun') as 'bun' | 'node'
const rounds = Number(option('rounds', '4'))
const pairs = Math.max(1, Number(option('pairs', '3')))
const seconds = Number(option('seconds', '4'))
const clients = Number(option('clients', '50'))
const stream = args.includes('--stream')
const baseline = resolve(option('baseline', '../main'))
// A baseline from before `npm run build:node` serves Node from source, through tsx.
const baselineFromSource = args.includes('--baseline-from-source')
const root = resolve(import.meta.dirname, '..', '..')

const mockPort = await freePort()
const mock = spawn(
  process.execPath,
  ['--import', 'tsx', 'tests/support/mock-llm/cli.ts', '--port', String(mockPort)],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
)
await new Promise<void>((ready) =>
  mock.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && ready()),
)
const secret = newApiKeySecret()
const vars = {
  OPENAI_BASE_URL: `http://127.0.0.1:${mockPort}/v1`,
  LOCAL_MODEL: 'mock-1',
  API_KEY_HASHES: `bench:${await hashApiKey(secret)}`,
  LOG_LEVEL: 'error',
}
const starts = {
  this: () => startRuntime(runtime, vars, { cwd: root }),
  baseline: () =>
    startRuntime(runtime, vars, { cwd: baseline, nodeFromSource: baselineFromSource }),
}
const names = ['this', 'baseline'] as const
const target = (baseUrl: string) => ({
  url: `${baseUrl}/v1/chat/completions`,
  headers: { Authorization: `Bearer ${secret}` },
  body: JSON.stringify({
    model: 'local:mock-1',
    messages: [{ role: 'user', content: 'hi there, how are you doing today?' }],
    stream,
  }),
})
const totals = names.map(() => ({ cpu: 0, requests: 0, errors: 0, rss: 0, rps: [] as string[] }))
const pairRatios: string[] = []

/**
 * One pair of fresh processes, started in the given order, measured in alternating bursts.
 * Two processes of the same code stayed 15-20% apart in CPU per request for their whole lives
 * (JIT, collector and placement luck), so one pair decides little: pairs are summed, starting
 * in turn.
 */
async function measurePair(order: readonly (0 | 1)[]) {
  const apps: Awaited<ReturnType<typeof starts.this>>[] = []
  try {
    for (const index of order) apps[index] = await starts[names[index] as 'this' | 'baseline']()
    for (const app of apps) await waitUntilReady(app)
    for (const app of apps) await wrkLoad(target(app.baseUrl), clients, 2) // warm the JITs
    const pair = names.map(() => ({ cpu: 0, requests: 0 }))
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < apps.length; k++) {
        const index = (k + round) % apps.length
        const app = apps[index] as (typeof apps)[number]
        const pids = processTree(app.child.pid ?? 0)
        const before = cpuMs(pids)
        const result = await wrkLoad(target(app.baseUrl), clients, seconds)
        const cpu = cpuMs(pids) - before
        for (const sum of [totals[index], pair[index]]) {
          if (!sum) continue
          sum.cpu += cpu
          sum.requests += result.requests
        }
        const total = totals[index] as (typeof totals)[number]
        total.errors += result.errors
        total.rps.push(`${Math.round(result.rps)} (p99 ${Math.round(result.p99)} ms)`)
      }
    }
    const [mine, theirs] = pair.map((p) => p.cpu / Math.max(1, p.requests))
    pairRatios.push(((mine ?? 0) / (theirs ?? 1)).toFixed(2))
    for (const [i, app] of apps.entries()) {
      const total = totals[i] as (typeof totals)[number]
      total.rss = Math.max(total.rss, sumStatus(processTree(app.child.pid ?? 0), 'VmRSS'))
    }
  } finally {
    for (const app of apps) await app?.stop()
  }
}

try {
  for (let p = 0; p < pairs; p++) await measurePair(p % 2 === 0 ? [0, 1] : [1, 0])
  const perRequest = totals.map((t) => (t.cpu * 1000) / Math.max(1, t.requests))
  for (const [i, t] of totals.entries()) {
    console.log(
      `${names[i]}: ${perRequest[i]?.toFixed(0)} µs CPU/request, RSS up to ${t.rss} MB, ` +
        `errors ${t.errors}; req/s per burst ${t.rps.join(', ')}`,
    )
  }
  console.log(
    `${runtime}, ${stream ? 'streaming' : 'non-streaming'}, ${clients} clients: CPU per request ` +
      `this ÷ baseline ${((perRequest[0] ?? 0) / (perRequest[1] ?? 1)).toFixed(2)} ` +
      `(pairs: ${pairRatios.join(', ')}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})`,
  )
} finally {
  mock.kill('SIGTERM')
}
