/**
 * CPU per stream of the compatible endpoints, this checkout against a baseline checkout, both
 * apps in this one process (in-memory stores, no HTTP server) on one mock upstream, in
 * alternating batches: no wrk, no other process's scheduling, so a busy shared machine moves
 * both alike. Start a mock first (`npx tsx tests/support/mock-llm/cli.ts --port 4010`), then:
 *   bun bench/gateway/stream-ab-in-process.ts --baseline /work/main [--mock http://127.0.0.1:4010]
 *     [--rounds 8] [--streams 300] [--concurrency 20] [--surface openai|anthropic]
 * (or `node --expose-gc --import tsx` for Node). Prints µs of CPU per stream and the ratio.
 */

import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { cpuUsage } from 'node:process'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? String(args[at + 1]) : fallback
}
const baseline = resolve(option('baseline', '/work/main'))
const mockUrl = option('mock', 'http://127.0.0.1:4010')
const rounds = Number(option('rounds', '8'))
const streams = Number(option('streams', '300'))
const concurrency = Number(option('concurrency', '20'))
const surface = option('surface', 'openai')
const here = resolve(import.meta.dirname, '..', '..')

interface Tree {
  name: string
  fetch: (url: string, init: RequestInit) => Promise<Response>
  secret: string
}

async function load(name: string, root: string): Promise<Tree> {
  const { createApiApp } = await import(`${root}/tests/support/api-app.ts`)
  const app = await createApiApp({ OPENAI_BASE_URL: `${mockUrl}/v1`, LOCAL_MODEL: 'mock-1' })
  return { name, fetch: app.fetch, secret: (await app.user('bench')).secret }
}

const messages = [{ role: 'user', content: 'hi there, how are you doing today?' }]
const anthropic = surface === 'anthropic'
const url = anthropic ? 'http://outpost/v1/messages' : 'http://outpost/v1/chat/completions'
const body = JSON.stringify({
  model: 'local:mock-1',
  messages,
  stream: true,
  ...(anthropic ? { max_tokens: 100 } : {}),
})

async function run(tree: Tree, count: number) {
  let left = count
  const worker = async () => {
    while (left-- > 0) {
      const response = await tree.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tree.secret}`,
          'x-api-key': tree.secret,
        },
        body,
      })
      await response.text()
      if (response.status !== 200) throw new Error(`${tree.name}: status ${response.status}`)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

const trees = [await load('baseline', baseline), await load('this', here)]
for (const tree of trees) await run(tree, 200)
const spent = new Map(trees.map((tree) => [tree.name, 0]))
// Each batch starts on a collected heap, so one tree's garbage is not collected on the
// other's time (Node needs --expose-gc; Bun collects through Bun.gc).
const runtimeGlobals = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } }
const collect =
  runtimeGlobals.gc ?? (runtimeGlobals.Bun ? () => runtimeGlobals.Bun?.gc(true) : undefined)
for (let round = 0; round < rounds; round++) {
  for (const tree of round % 2 === 0 ? trees : [...trees].reverse()) {
    collect?.()
    const before = cpuUsage()
    await run(tree, streams)
    const used = cpuUsage(before)
    spent.set(tree.name, (spent.get(tree.name) ?? 0) + used.user + used.system)
  }
}
const perStream = (name: string) => (spent.get(name) ?? 0) / rounds / streams
const [base, mine] = [perStream('baseline'), perStream('this')]
console.log(
  `${surface}: baseline ${base.toFixed(0)} µs CPU/stream, this ${mine.toFixed(0)}, ratio ${(mine / base).toFixed(3)}; load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
process.exit(0)
