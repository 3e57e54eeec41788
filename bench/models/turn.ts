/**
 * Overhead of runTurn (router, fallback, breaker, event mapping) over a direct SDK call,
 * against the mock provider on loopback, for both protocols, streaming and not.
 *   npx tsx bench/models/turn.ts [--iterations 200]
 * Prints p50/p99 of time to first token and total time, the added milliseconds and the ratio.
 */
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { runTurn, type TurnDeps } from '../../src/core/agent/run-turn.ts'
import { createInMemoryKvStore } from '../../src/core/memory/in-memory-kv-store.ts'
import { createBreaker } from '../../src/core/models/breaker.ts'
import { createCatalog } from '../../src/core/models/catalog.ts'
import { createModelProvider } from '../../src/core/models/model-provider.ts'
import { createRouter } from '../../src/core/models/router.ts'
import { startMockLlm } from '../../tests/support/mock-llm/index.ts'

const args = process.argv.slice(2)
const iterations = Number(args[args.indexOf('--iterations') + 1] || 200)
const warmup = 20
const budgetMs = 60_000
const prompt = 'hi there, how are you doing today?'
// The loop adds routing, a breaker read and event mapping: microseconds of work. A median
// above this many added milliseconds means something blocks, and the run exits non-zero.
const boundMs = 2

interface Sample {
  ttft: number
  total: number
}
type Runner = () => Promise<Sample>

const mock = await startMockLlm({ models: ['bench-model'] })
const openai = new OpenAI({ apiKey: 'bench', baseURL: `${mock.url}/v1`, maxRetries: 0 })
const anthropic = new Anthropic({ apiKey: 'bench', baseURL: mock.url, maxRetries: 0 })

const depsFor = (tier: string): TurnDeps => {
  const catalog = createCatalog({
    anthropicApiKey: 'bench',
    anthropicBaseUrl: mock.url,
    openaiBaseUrl: `${mock.url}/v1`,
    overrides: { fast: [`${tier}:bench-model`] },
  })
  return {
    router: createRouter({ catalog }),
    models: createModelProvider({
      catalog,
      clients: { openai: () => openai, anthropic: () => anthropic },
    }),
    breaker: createBreaker({ kv: createInMemoryKvStore() }),
  }
}
const deps = { local: depsFor('local'), anthropic: depsFor('anthropic') }

const timed = async (work: (first: () => void) => Promise<void>): Promise<Sample> => {
  const start = performance.now()
  let ttft = Number.NaN
  await work(() => {
    if (Number.isNaN(ttft)) ttft = performance.now() - start
  })
  const total = performance.now() - start
  return { ttft: Number.isNaN(ttft) ? total : ttft, total }
}

const direct: Record<string, Runner> = {
  'openai stream': () =>
    timed(async (first) => {
      const stream = await openai.chat.completions.create({
        model: 'bench-model',
        messages: [{ role: 'user', content: prompt }],
        stream: true,
        stream_options: { include_usage: true },
      })
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) first()
    }),
  'openai json': () =>
    timed(async (first) => {
      await openai.chat.completions.create({
        model: 'bench-model',
        messages: [{ role: 'user', content: prompt }],
      })
      first()
    }),
  'anthropic stream': () =>
    timed(async (first) => {
      const stream = await anthropic.messages.create({
        model: 'bench-model',
        max_tokens: 4096,
        messages: [{ role: 'user', content: prompt }],
        stream: true,
      })
      for await (const event of stream) if (event.type === 'content_block_delta') first()
    }),
  'anthropic json': () =>
    timed(async (first) => {
      await anthropic.messages.create({
        model: 'bench-model',
        max_tokens: 4096,
        messages: [{ role: 'user', content: prompt }],
      })
      first()
    }),
}

const viaTurn =
  (provider: 'local' | 'anthropic', stream: boolean): Runner =>
  () =>
    timed(async (first) => {
      for await (const event of runTurn(deps[provider], { message: prompt, stream })) {
        if (event.type === 'text-delta') first()
        if (event.type === 'error') throw new Error(event.message)
      }
    })
const turn: Record<string, Runner> = {
  'openai stream': viaTurn('local', true),
  'openai json': viaTurn('local', false),
  'anthropic stream': viaTurn('anthropic', true),
  'anthropic json': viaTurn('anthropic', false),
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

const started = performance.now()
const rows: string[] = []
const over: string[] = []
for (const name of Object.keys(direct)) {
  const a: Sample[] = []
  const b: Sample[] = []
  for (let i = 0; i < warmup; i++) {
    await direct[name]?.()
    await turn[name]?.()
  }
  // Interleaved so drift (GC, CPU contention) hits both sides alike.
  for (let i = 0; i < iterations && performance.now() - started < budgetMs; i++) {
    a.push(await (direct[name] as Runner)())
    b.push(await (turn[name] as Runner)())
  }
  for (const metric of ['ttft', 'total'] as const) {
    if (name.endsWith('json') && metric === 'ttft') continue
    const d = a.map((s) => s[metric])
    const t = b.map((s) => s[metric])
    const [d50, d99, t50, t99] = [
      percentile(d, 50),
      percentile(d, 99),
      percentile(t, 50),
      percentile(t, 99),
    ]
    if (t50 - d50 > boundMs) over.push(`${name} ${metric}: +${(t50 - d50).toFixed(2)} ms`)
    rows.push(
      `| ${name} | ${metric} | ${a.length} | ${d50.toFixed(2)} / ${d99.toFixed(2)} | ${t50.toFixed(2)} / ${t99.toFixed(2)} | ${(t50 - d50).toFixed(2)} / ${(t99 - d99).toFixed(2)} | ${(t50 / d50).toFixed(2)}x |`,
    )
  }
}
await mock.close()

console.log('runTurn vs direct SDK call, mock provider on loopback (ms; p50 / p99)\n')
console.log('| request | metric | n | direct SDK | runTurn | added | ratio p50 |')
console.log('|---|---|---|---|---|---|---|')
for (const row of rows) console.log(row)
console.log(
  `\nbound: added p50 <= ${boundMs} ms: ${over.length === 0 ? 'ok' : `EXCEEDED (${over.join('; ')})`}`,
)
if (over.length > 0) process.exitCode = 1
