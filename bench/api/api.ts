/**
 * What `/v1/chat/completions` adds over calling the model server directly: the app on Bun
 * (its real entry file) in front of the mock LLM on loopback, against the mock alone.
 *   npx tsx bench/api/api.ts [--requests 1000] [--seconds 10]
 * For non-streaming and streaming requests (latency = time to first byte of the body when
 * streaming), at concurrency 1 and 50: requests/s, p50 and p99. Then the added milliseconds
 * and the throughput ratio. Bounded: each cell stops at `--requests` (200 at concurrency 1)
 * or `--seconds`, whichever comes first.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { hashApiKey, newApiKeySecret } from '../../src/core/auth/api-key-secret.ts'
import { freePort, startRuntime, waitUntilReady } from '../../tests/support/runtime-process.ts'
import { printTable } from '../stores/bench-table.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? Number(args[at + 1]) : fallback
}
const maxRequests = option('requests', 1000)
const maxSeconds = option('seconds', 10)
const root = resolve(import.meta.dirname, '..', '..')
const prompt = 'hi there, how are you doing today?'

async function startMock(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/support/mock-llm/cli.ts', '--port', String(port)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise<void>((ready, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) ready()
    })
    child.once('exit', (code) => fail(new Error(`mock LLM exited with ${code}`)))
  })
  return { url: `http://127.0.0.1:${port}`, child }
}

interface Target {
  name: string
  url: string
  model: string
  headers: Record<string, string>
}

/** One request; resolves with its latency (to the first body byte when streaming). */
async function once(target: Target, stream: boolean): Promise<number> {
  const start = performance.now()
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...target.headers },
    body: JSON.stringify({
      model: target.model,
      messages: [{ role: 'user', content: prompt }],
      stream,
    }),
  })
  if (response.status !== 200) throw new Error(`${target.name}: HTTP ${response.status}`)
  const reader = response.body!.getReader()
  let first: number | undefined
  for (;;) {
    const { done } = await reader.read()
    first ??= performance.now() - start
    if (done) break
  }
  return stream ? (first as number) : performance.now() - start
}

interface Cell {
  rps: number
  p50: number
  p99: number
  n: number
}

async function cell(target: Target, stream: boolean, concurrency: number): Promise<Cell> {
  for (let i = 0; i < 20; i++) await once(target, stream)
  const limit = concurrency === 1 ? Math.min(200, maxRequests) : maxRequests
  const deadline = performance.now() + maxSeconds * 1000
  const samples: number[] = []
  let started = 0
  const began = performance.now()
  const worker = async () => {
    while (started < limit && performance.now() < deadline) {
      started += 1
      samples.push(await once(target, stream))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = (performance.now() - began) / 1000
  const sorted = samples.sort((a, b) => a - b)
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { rps: samples.length / seconds, p50: pick(0.5), p99: pick(0.99), n: samples.length }
}

const mock = await startMock()
const secret = newApiKeySecret()
const app = await startRuntime('bun', {
  OPENAI_BASE_URL: `${mock.url}/v1`,
  LOCAL_MODEL: 'mock-1',
  API_KEY_HASHES: `bench:${await hashApiKey(secret)}`,
  LOG_LEVEL: 'error',
})
try {
  await waitUntilReady(app)
  const direct: Target = {
    name: 'mock',
    url: `${mock.url}/v1/chat/completions`,
    model: 'mock-1',
    headers: { Authorization: 'Bearer mock' },
  }
  const outpost: Target = {
    name: 'outpost',
    url: `${app.baseUrl}/v1/chat/completions`,
    model: 'local:mock-1',
    headers: { Authorization: `Bearer ${secret}` },
  }
  const rows: (string | number)[][] = []
  const compare: (string | number)[][] = []
  for (const stream of [false, true]) {
    for (const concurrency of [1, 50]) {
      const a = await cell(direct, stream, concurrency)
      const b = await cell(outpost, stream, concurrency)
      const mode = stream ? 'stream (TTFB)' : 'json'
      rows.push(['mock direct', mode, concurrency, a.n, a.rps, a.p50, a.p99])
      rows.push(['via /v1/chat/completions', mode, concurrency, b.n, b.rps, b.p50, b.p99])
      compare.push([mode, concurrency, b.p50 - a.p50, b.p99 - a.p99, b.rps / a.rps])
    }
  }
  console.log(`\nmock LLM (node) on loopback; Outpost on Bun; client: node fetch\n`)
  printTable(['target', 'mode', 'conc', 'n', 'req/s', 'p50 ms', 'p99 ms'], rows)
  console.log('')
  printTable(['mode', 'conc', 'added p50 ms', 'added p99 ms', 'throughput ratio'], compare)
} finally {
  await app.stop()
  mock.child.kill('SIGTERM')
}
