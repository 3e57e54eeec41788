import { resolve } from 'node:path'
import { hashApiKey, newApiKeySecret } from '../../src/core/auth/api-key-secret.ts'
import { startMockLlmProcess } from '../../tests/support/mock-llm/mock-process.ts'
import { type RuntimeId, startRuntime } from '../../tests/support/runtime-process.ts'
import { fetchLoad } from '../gateway/load.ts'
import { printTable } from '../stores/bench-table.ts'
import { processTree, sumStatus } from './process-tree.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? String(args[at + 1]) : fallback
}
const runtimes = option('runtimes', 'bun,node,deno').split(',') as RuntimeId[]
const seconds = Number(option('seconds', '5'))
const root = resolve(import.meta.dirname, '..', '..')
const checkouts = [root, ...(args.includes('--compare') ? [resolve(option('compare', ''))] : [])]

/** Polls `url` (a POST when `body` is given) until it answers 200; ms since `spawnedAt`. */
async function firstOk(url: string, spawnedAt: number, init: RequestInit, exited: () => boolean) {
  while (performance.now() - spawnedAt < 120_000) {
    if (exited()) throw new Error(`exited before ${url} answered`)
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) })
      await response.arrayBuffer()
      if (response.status === 200) return Math.round(performance.now() - spawnedAt)
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`${url}: no 200 within 120 s`)
}

async function measure(runtime: RuntimeId, checkout: string, mockUrl: string) {
  const secret = newApiKeySecret()
  const app = await startRuntime(
    runtime,
    {
      OPENAI_BASE_URL: `${mockUrl}/v1`,
      LOCAL_MODEL: 'mock-1',
      API_KEY_HASHES: `bench:${await hashApiKey(secret)}`,
      LOG_LEVEL: 'error',
    },
    { cwd: checkout },
  )
  // From the spawn, after Node's bundle is built: the start is measured, not the build.
  const { spawnedAt } = app
  let gone = false
  void app.exited.then(() => {
    gone = true
  })
  const rss = () => (app.child.pid ? sumStatus(processTree(app.child.pid), 'VmRSS') : 0)
  const url = `${app.baseUrl}/v1/chat/completions`
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` }
  const body = (stream: boolean) =>
    JSON.stringify({ model: 'local:mock-1', messages: [{ role: 'user', content: 'hi' }], stream })
  try {
    const healthz = await firstOk(`${app.baseUrl}/healthz`, spawnedAt, {}, () => gone)
    const idle = rss()
    const first = await firstOk(
      url,
      spawnedAt,
      { method: 'POST', headers, body: body(false) },
      () => gone,
    )
    const afterFirst = rss()
    const target = (stream: boolean) => ({ url, headers, body: body(stream) })
    const plain = await fetchLoad(target(false), 50, seconds)
    const streamed = await fetchLoad(target(true), 200, seconds)
    const afterBench = rss()
    // Readiness asks every store: it opens the embedded database (created on this first time).
    const readyAt = performance.now()
    const ready = await firstOk(`${app.baseUrl}/readyz`, readyAt, {}, () => gone)
    return {
      runtime,
      checkout,
      'healthz ms': healthz,
      'spawn to 1st completion ms': first,
      'RSS idle MB': idle,
      'RSS after 1st MB': afterFirst,
      'RSS after bench MB': afterBench,
      'req/s (50)': Math.round(plain.requests / plain.seconds),
      'streams/s (200)': Math.round(streamed.requests / streamed.seconds),
      errors: plain.errors + streamed.errors,
      '/readyz 200 after ms': ready,
      'RSS, database open MB': rss(),
    }
  } catch (error) {
    console.error(app.log())
    throw error
  } finally {
    await app.stop()
  }
}

const mock = await startMockLlmProcess()
const rows: Record<string, string | number>[] = []
try {
  // One process at a time; the checkouts take turns within each runtime.
  for (const runtime of runtimes) {
    for (const checkout of checkouts) {
      rows.push(await measure(runtime, checkout, mock.url))
      console.error(`  measured ${runtime} in ${checkout}`)
    }
  }
} finally {
  mock.child.kill('SIGTERM')
}
const headers = Object.keys(rows[0] ?? {})
printTable(
  headers,
  rows.map((row) => Object.values(row)),
)
