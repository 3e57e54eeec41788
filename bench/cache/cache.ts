/**
 * The response cache and request coalescing, side by side in one run:
 *   npx tsx bench/cache/cache.ts [--iterations 300]
 * 1. A cache hit's cost against a pass-through to a zero-latency model: at the model call
 *    (in process, no HTTP) and through POST /v1/chat/completions (app in process, the mock
 *    provider on loopback answering without delay). p50/p99 and the ratio hit / pass-through.
 * 2. 50 identical concurrent requests against a mock that answers after 200 ms, with and
 *    without coalescing: wall time and upstream calls.
 */
import { createApp } from '../../src/app.ts'
import { defaultCachePolicy } from '../../src/core/cache/cache-policy.ts'
import { createModelCallCache } from '../../src/core/cache/model-call-cache.ts'
import { parseConfig } from '../../src/core/config.ts'
import { createInMemoryKvStore } from '../../src/core/memory/in-memory-kv-store.ts'
import { createCatalog } from '../../src/core/models/catalog.ts'
import type { ChatModel, ChatRequest } from '../../src/core/models/chat-model.ts'
import { streamWithFallback } from '../../src/core/models/fallback.ts'
import { createServices } from '../../src/core/services.ts'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'
import { startMockLlm } from '../../tests/support/mock-llm/index.ts'
import { startUpstashRedisBridge } from '../../tests/support/upstash-redis-bridge.ts'

const args = process.argv.slice(2)
const iterations = Number(args[args.indexOf('--iterations') + 1] || 300)
const warmup = 30

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}
const ms = (value: number) => `${value.toFixed(3)} ms`
async function measure(run: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < warmup; i += 1) await run()
  const samples: number[] = []
  for (let i = 0; i < iterations; i += 1) {
    const start = performance.now()
    await run()
    samples.push(performance.now() - start)
  }
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) }
}
const row = (label: string, base: { p50: number; p99: number }, x: { p50: number; p99: number }) =>
  console.log(
    `${label.padEnd(44)} pass-through p50 ${ms(base.p50)} p99 ${ms(base.p99)} | hit p50 ${ms(x.p50)} p99 ${ms(x.p99)} | hit/pass p50 ${(x.p50 / base.p50).toFixed(2)}`,
  )

// 1a. At the model call, in process: a zero-latency model of 40 text deltas.
{
  const catalog = createCatalog({ anthropicApiKey: 'bench' })
  const candidates = catalog.tiers.fast.slice(0, 1)
  const model: ChatModel = {
    id: candidates[0]?.id ?? 'anthropic:claude-haiku-4-5',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    async *stream() {
      for (let i = 0; i < 40; i += 1) yield { type: 'text-delta', text: `word${i} ` }
      yield { type: 'usage', inputTokens: 30, outputTokens: 40 }
      yield { type: 'finish', reason: 'stop' }
    },
  }
  const options = { models: { get: async () => model, ping: async () => {} } }
  const request: ChatRequest = {
    messages: [{ role: 'user', content: 'the same question every time' }],
    temperature: 0,
  }
  const cached = createModelCallCache({ kv: createInMemoryKvStore() }).bind({
    tenant: 'bench',
    policy: defaultCachePolicy,
    defer: () => {},
  })
  const drain = async (events: AsyncIterable<unknown>) => {
    for await (const _ of events) {
      // read to the end
    }
  }
  await drain(cached(options, candidates, request))
  const base = await measure(() => drain(streamWithFallback(options, candidates, request)))
  const hit = await measure(() => drain(cached(options, candidates, request)))
  row('model call, in process (in-memory KV)', base, hit)
}

// 1b and 2: through the app, against the mock provider on loopback.
const mock = await startMockLlm({ models: ['bench-model'] })
const env = {
  DEMO_WORD_DELAY_MS: '0',
  LOG_LEVEL: 'error',
  OPENAI_BASE_URL: `${mock.url}/v1`,
  LOCAL_MODEL: 'bench-model',
}
const platform = { runtime: 'node' as const, hasFileSystem: false }
async function appWith(responseCache: boolean, extra: Record<string, string> = {}) {
  const services = await createServices(parseConfig({ ...env, ...extra }), platform, {
    responseCache,
  })
  const app = createApp({ platform, services: async () => services })
  const background = createBackgroundTasks()
  await services.memory.history.upsertUser({ id: 'bench' })
  const { secret } = await services.apiKeys.create({ userId: 'bench', name: 'bench' })
  return (content: string, stream = false) =>
    app.request(
      '/v1/chat/completions',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'local:bench-model',
          temperature: 0,
          stream,
          messages: [{ role: 'user', content }],
        }),
      },
      env,
      background,
    )
}
const withCache = await appWith(true)
const without = await appWith(false)
{
  const question = 'a question whose answer is cached'
  await (await withCache(question)).text()
  for (const stream of [false, true]) {
    const base = await measure(async () => {
      await (await without(question, stream)).text()
    })
    const hit = await measure(async () => {
      const response = await withCache(question, stream)
      await response.text()
      if (response.headers.get('x-cache') !== 'HIT') throw new Error('expected a hit')
    })
    row(`POST /v1/chat/completions${stream ? ' (stream)' : ''}`, base, hit)
  }
}

// 2. Fifty identical concurrent requests, the provider taking 200 ms to answer.
{
  const answer = 'one two three four five six seven eight nine ten'
  const burst = async (send: typeof withCache, label: string) => {
    mock.reset()
    for (let i = 0; i < 50; i += 1)
      mock.script({ kind: 'text', text: answer, firstByteDelayMs: 200 })
    const question = `burst ${label} ${Date.now()}`
    const start = performance.now()
    const responses = await Promise.all(Array.from({ length: 50 }, () => send(question)))
    const texts = await Promise.all(responses.map((r) => r.text()))
    const wall = performance.now() - start
    const calls = mock.requests.filter((r) => r.path === '/v1/chat/completions').length
    if (texts.some((t) => !t.includes('one two three'))) throw new Error('a request failed')
    return { wall, calls }
  }
  const off = await burst(without, 'off')
  const on = await burst(withCache, 'on')
  console.log(
    `50 identical concurrent requests (answer after 200 ms): without coalescing: ${off.wall.toFixed(0)} ms, ${off.calls} upstream calls | with: ${on.wall.toFixed(0)} ms, ${on.calls} upstream call(s) | wall ratio ${(on.wall / off.wall).toFixed(2)}`,
  )
  // The same over Upstash (the REST bridge to the machine's Redis), when Redis answers.
  const bridge = await startUpstashRedisBridge({}).catch(() => undefined)
  if (bridge) {
    const redisVars = { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token }
    const redisOff = await burst(await appWith(false, redisVars), 'upstash-off')
    const redisOn = await burst(await appWith(true, redisVars), 'upstash-on')
    console.log(
      `  the same with every store on Upstash -> bridge -> Redis: without coalescing: ${redisOff.wall.toFixed(0)} ms, ${redisOff.calls} upstream calls | with: ${redisOn.wall.toFixed(0)} ms, ${redisOn.calls} upstream call(s) | wall ratio ${(redisOn.wall / redisOff.wall).toFixed(2)}`,
    )
    await bridge.close()
  }
}
await mock.close()
process.exit(0)
