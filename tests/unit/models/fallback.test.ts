import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import { createBreaker } from '../../../src/core/models/breaker.ts'
import { createCatalog } from '../../../src/core/models/catalog.ts'
import { type FallbackEvent, streamWithFallback } from '../../../src/core/models/fallback.ts'
import { createModelProvider } from '../../../src/core/models/model-provider.ts'
import { collect, collectUntilError } from '../../support/collect.ts'
import { type MockLlm, startMockLlm } from '../../support/mock-llm/index.ts'

const textOf = (events: FallbackEvent[]) => {
  // What a UI shows: text since the last restart.
  let text = ''
  for (const e of events) {
    if (e.type === 'retry' && e.restart) text = ''
    if (e.type === 'text-delta') text += e.text
  }
  return text
}

describe('streamWithFallback against the mock through both SDKs', () => {
  let mock: MockLlm
  let time = 0
  const clock = () => time
  const slept: number[] = []
  const sleep = async (ms: number) => {
    slept.push(ms)
    time += ms
  }
  let deps: Parameters<typeof streamWithFallback>[0]
  let catalog: ReturnType<typeof createCatalog>
  const user = { messages: [{ role: 'user' as const, content: 'Say something' }] }

  beforeAll(async () => {
    mock = await startMockLlm()
    catalog = createCatalog({
      anthropicApiKey: 'a',
      anthropicBaseUrl: mock.url,
      openaiBaseUrl: `${mock.url}/v1`,
      overrides: { fast: ['anthropic:claude-haiku-4-5', 'local:llama3.2'] },
      models: { 'llama3.2': { capabilities: { vision: false, tools: true } } },
    })
  })
  afterAll(() => mock.close())
  beforeEach(() => {
    mock.reset()
    time = 1_000_000
    slept.length = 0
    const kv = createInMemoryKvStore({ now: clock })
    deps = {
      models: createModelProvider({ catalog }),
      breaker: createBreaker({ kv, now: clock }),
      now: clock,
      sleep,
    }
  })

  it('moves to the next candidate on a 429 without a retry restart', async () => {
    mock.script(
      { kind: 'error', status: 429, retryAfterSeconds: 30 },
      { model: 'claude-haiku-4-5' },
    )
    mock.script({ kind: 'text', text: 'Hello from the local model.' }, { model: 'llama3.2' })
    const events = await collect(streamWithFallback(deps, catalog.tiers.fast, user))
    const retry = events.find((e) => e.type === 'retry')
    expect(retry).toMatchObject({
      from: 'anthropic:claude-haiku-4-5',
      to: 'local:llama3.2',
      restart: false,
      error: { code: 'provider_rate_limited' },
    })
    expect(textOf(events)).toBe('Hello from the local model.')
    expect(mock.requests.map((r) => r.protocol)).toEqual(['anthropic', 'openai'])
    // The 429's Retry-After keeps the next request away from the limited model.
    mock.script({ kind: 'text', text: 'Second.' }, { model: 'llama3.2' })
    await collect(streamWithFallback(deps, catalog.tiers.fast, user))
    expect(mock.requests.at(-1)?.model).toBe('llama3.2')
    expect(mock.requests).toHaveLength(3)
  })

  it('restarts the answer on the next model after a mid-stream cut, losing and duplicating nothing', async () => {
    mock.script(
      { kind: 'cut', text: 'The first model starts but dies', afterChunks: 3 },
      { model: 'claude-haiku-4-5' },
    )
    mock.script(
      { kind: 'text', text: 'The complete answer, from the start.' },
      { model: 'llama3.2' },
    )
    const events = await collect(streamWithFallback(deps, catalog.tiers.fast, user))
    const retry = events.find((e) => e.type === 'retry')
    expect(retry).toMatchObject({ restart: true, to: 'local:llama3.2' })
    const before = events.slice(0, events.indexOf(retry as FallbackEvent))
    expect(
      before
        .filter((e) => e.type === 'text-delta')
        .map((e) => (e.type === 'text-delta' ? e.text : ''))
        .join(''),
    ).toBe('The first model ')
    expect(textOf(events)).toBe('The complete answer, from the start.')
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
  })

  it('waits for the earliest Retry-After when every candidate is rate limited', async () => {
    mock.script({ kind: 'error', status: 429, retryAfterSeconds: 2 }, { model: 'claude-haiku-4-5' })
    mock.script({ kind: 'error', status: 529 }, { model: 'llama3.2' })
    mock.script({ kind: 'text', text: 'Finally.' }, { model: 'claude-haiku-4-5' })
    const events = await collect(streamWithFallback(deps, catalog.tiers.fast, user))
    expect(slept).toEqual([2000])
    const retries = events.filter((e) => e.type === 'retry')
    expect(retries.map((r) => [r.from, r.to, r.waitMs])).toEqual([
      ['anthropic:claude-haiku-4-5', 'local:llama3.2', 0],
      ['local:llama3.2', 'anthropic:claude-haiku-4-5', 2000],
    ])
    expect(textOf(events)).toBe('Finally.')
  })

  it('ends with an explicit error when no candidate is left', async () => {
    mock.script({ kind: 'error', status: 500 }, { model: 'claude-haiku-4-5' })
    mock.script({ kind: 'error', status: 429, retryAfterSeconds: 60 }, { model: 'llama3.2' })
    const { events, error } = await collectUntilError(
      streamWithFallback(deps, catalog.tiers.fast, user),
    )
    expect(error).toMatchObject({ code: 'provider_rate_limited', model: 'llama3.2' })
    expect(slept).toEqual([])
    expect(events.some((e) => e.type === 'finish')).toBe(false)
  })

  it('does not retry a bad request elsewhere', async () => {
    mock.script({ kind: 'error', status: 400 }, { model: 'claude-haiku-4-5' })
    const { error } = await collectUntilError(streamWithFallback(deps, catalog.tiers.fast, user))
    expect(error).toMatchObject({ code: 'provider_bad_request', retryable: false })
    expect(mock.requests).toHaveLength(1)
  })

  it('skips candidates that lack a needed capability, and says so when none fits', async () => {
    const image = {
      messages: [
        { role: 'user' as const, content: [{ type: 'image' as const, url: 'https://x/cat.png' }] },
      ],
    }
    await collect(streamWithFallback(deps, [...catalog.tiers.fast].reverse(), image))
    expect(mock.requests.map((r) => r.model)).toEqual(['claude-haiku-4-5'])
    const local = catalog.tiers.fast.filter((c) => c.provider === 'local')
    const { error } = await collectUntilError(streamWithFallback(deps, local, image))
    expect(error).toMatchObject({ code: 'no_candidate' })
    expect((error as Error).message).toContain('cannot read images')
  })

  it('says when to come back when every breaker is open for longer than it will wait', async () => {
    await deps.breaker?.failure('anthropic:claude-haiku-4-5', { retryAfterMs: 40_000 })
    await deps.breaker?.failure('local:llama3.2', { retryAfterMs: 30_000 })
    const { error } = await collectUntilError(streamWithFallback(deps, catalog.tiers.fast, user))
    expect(error).toMatchObject({ code: 'no_candidate', retryable: true, retryAfterMs: 30_000 })
    expect(mock.requests).toHaveLength(0)
  })

  it('skips a model whose breaker is open', async () => {
    for (let i = 0; i < 3; i++) await deps.breaker?.failure('anthropic:claude-haiku-4-5')
    await collect(streamWithFallback(deps, catalog.tiers.fast, user))
    expect(mock.requests.map((r) => r.model)).toEqual(['llama3.2'])
  })
})
