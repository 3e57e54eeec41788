import { describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../../src/core/agent/agent-event.ts'
import { runTurn, type TurnDeps } from '../../../src/core/agent/run-turn.ts'
import { modelCallKey } from '../../../src/core/cache/cache-key.ts'
import { cachePolicyFrom, defaultCachePolicy } from '../../../src/core/cache/cache-policy.ts'
import { createModelCallCache } from '../../../src/core/cache/model-call-cache.ts'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import { createCatalog } from '../../../src/core/models/catalog.ts'
import type { ChatModel, ChatRequest } from '../../../src/core/models/chat-model.ts'
import { ProviderError } from '../../../src/core/models/provider-error.ts'
import { createRouter } from '../../../src/core/models/router.ts'
import { calculatorTool } from '../../../src/core/tools/calculator.ts'
import { createToolRegistry } from '../../../src/core/tools/registry.ts'
import { collect, collectUntilError } from '../../support/collect.ts'

const catalog = createCatalog({ anthropicApiKey: 'test' })
const haiku = 'anthropic:claude-haiku-4-5'

/** A priced model that asks for the calculator once, then answers; counts its calls. */
function scriptedModel(fail?: () => boolean) {
  const calls: ChatRequest[] = []
  const model: ChatModel = {
    id: haiku,
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    async *stream(request) {
      calls.push(request)
      const last = request.messages.at(-1)
      if (last?.role === 'tool') {
        yield { type: 'text-delta', text: `It is ${last.content}.` }
        if (fail?.()) {
          throw new ProviderError('provider_network', 'cut', {
            provider: 'anthropic',
            model: haiku,
            retryable: false,
          })
        }
        yield { type: 'usage', inputTokens: 20, outputTokens: 4 }
        yield { type: 'finish', reason: 'stop' }
        return
      }
      yield { type: 'text-delta', text: 'Let me compute. ' }
      yield {
        type: 'tool-call',
        call: { id: 'c1', name: 'calculator', input: { expression: '6*7' } },
      }
      yield { type: 'usage', inputTokens: 10, outputTokens: 3 }
      yield { type: 'finish', reason: 'tool-calls' }
    },
  }
  return { model, calls }
}

function setup(fail?: () => boolean) {
  const kv = createInMemoryKvStore()
  const cache = createModelCallCache({ kv })
  const { model, calls } = scriptedModel(fail)
  const pending: Promise<unknown>[] = []
  const deps = (tenant: string, policy = defaultCachePolicy): TurnDeps => ({
    router: createRouter({ catalog }),
    models: { get: async () => model, ping: async () => {} },
    tools: createToolRegistry({ tools: [calculatorTool] }),
    call: cache.bind({ tenant, policy, defer: (p) => pending.push(p) }),
  })
  const settle = () => Promise.all(pending)
  return { deps, calls, settle }
}

const input = { message: 'what is 6*7?', model: haiku, temperature: 0 }
/** Events as a client compares them: tool durations and costs vary by design. */
const comparable = (events: AgentEvent[]) =>
  events.map((e) => {
    if (e.type === 'tool-result') return { ...e, durationMs: 0 }
    if (e.type === 'usage' || e.type === 'turn-end') return { ...e, costUsd: 0, usage: undefined }
    return e
  })

describe('the response cache in a turn', () => {
  it('replays each model call, still runs the tools, and bills the hit as zero', async () => {
    const { deps, calls, settle } = setup()
    const first = await collect(runTurn(deps('alice'), input))
    await settle()
    const second = await collect(runTurn(deps('alice'), input))
    expect(calls).toHaveLength(2)
    expect(comparable(second)).toEqual(comparable(first))
    expect(second.filter((e) => e.type === 'tool-result')).toHaveLength(1)
    const cost = (events: AgentEvent[]) =>
      events.filter((e) => e.type === 'usage').map((e) => (e as { costUsd: number }).costUsd)
    expect(cost(first).every((c) => c > 0)).toBe(true)
    expect(cost(second)).toEqual([0, 0])
    const tokens = (events: AgentEvent[]) => (events.at(-1) as { usage: object }).usage
    expect(tokens(second)).toEqual({ ...tokens(first), costUsd: 0 })
  })

  it('keeps tenants apart', async () => {
    const { deps, calls, settle } = setup()
    await collect(runTurn(deps('alice'), input))
    await settle()
    await collect(runTurn(deps('bob'), input))
    expect(calls).toHaveLength(4)
  })

  it('never stores an interrupted call', async () => {
    let failures = 1
    const { deps, calls, settle } = setup(() => failures-- > 0)
    const failed = await collect(runTurn(deps('alice'), input))
    expect(failed.some((e) => e.type === 'error')).toBe(true)
    await settle()
    const again = await collect(runTurn(deps('alice'), input))
    expect(again.some((e) => e.type === 'error')).toBe(false)
    // Step 1 was complete and is replayed; step 2 failed, so it is asked again.
    expect(calls).toHaveLength(3)
  })

  it('hands a call it may not serve the model stream itself, with no step of its own', async () => {
    const upstreamStream = (async function* () {})()
    const cache = createModelCallCache({
      kv: createInMemoryKvStore(),
      upstream: () => upstreamStream,
    })
    const call = cache.bind({ tenant: 't', policy: defaultCachePolicy, defer: () => {} })
    const options = { models: { get: async () => scriptedModel().model, ping: async () => {} } }
    const request: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] }
    expect(call(options, catalog.tiers.fast.slice(0, 1), request)).toBe(upstreamStream)
  })

  it('coalesces identical calls in flight and hands every follower the same events', async () => {
    const kv = createInMemoryKvStore()
    const cache = createModelCallCache({ kv })
    let upstream = 0
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const candidates = catalog.tiers.fast.slice(0, 1)
    const call = cache.bind({ tenant: 't', policy: defaultCachePolicy, defer: () => {} })
    const model: ChatModel = {
      id: haiku,
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      async *stream() {
        upstream += 1
        yield { type: 'text-delta', text: 'a' }
        await gate
        yield { type: 'text-delta', text: 'b' }
        yield { type: 'finish', reason: 'stop' }
      },
    }
    const options = { models: { get: async () => model, ping: async () => {} } }
    const request: ChatRequest = { messages: [{ role: 'user', content: 'hi' }], temperature: 0 }
    const runs = Array.from({ length: 10 }, () => collect(call(options, candidates, request)))
    setTimeout(release, 20)
    const results = await Promise.all(runs)
    expect(upstream).toBe(1)
    const strip = (events: unknown[]) => events.map((e) => ({ ...(e as object), cache: undefined }))
    for (const events of results) expect(strip(events)).toEqual(strip(results[0] as unknown[]))
    const marks = results.map((events) => (events[0] as { cache: { status: string } }).cache.status)
    expect(marks.sort()).toEqual([...Array(9).fill('COALESCED'), 'MISS'])
  })

  it('gives followers the leader error', async () => {
    const kv = createInMemoryKvStore()
    const cache = createModelCallCache({ kv })
    const candidates = catalog.tiers.fast.slice(0, 1)
    const call = cache.bind({ tenant: 't', policy: defaultCachePolicy, defer: () => {} })
    const model: ChatModel = {
      id: haiku,
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      async *stream() {
        yield { type: 'text-delta', text: 'a' }
        await new Promise((r) => setTimeout(r, 20))
        throw new ProviderError('provider_bad_request', 'no', {
          provider: 'anthropic',
          model: haiku,
          retryable: false,
        })
      },
    }
    const options = { models: { get: async () => model, ping: async () => {} } }
    const request: ChatRequest = { messages: [{ role: 'user', content: 'x' }], temperature: 0 }
    const results = await Promise.all(
      Array.from({ length: 4 }, () => collectUntilError(call(options, candidates, request))),
    )
    for (const { events, error } of results) {
      expect(events.filter((e) => e.type === 'text-delta')).toHaveLength(1)
      expect(error).toMatchObject({ code: 'provider_bad_request' })
    }
  })
})

describe('cache policy and key', () => {
  it('reads Cache-Control directives', () => {
    expect(cachePolicyFrom(undefined)).toEqual(defaultCachePolicy)
    expect(cachePolicyFrom('no-cache, no-store')).toMatchObject({ read: false, write: false })
    expect(cachePolicyFrom('max-age=120')).toMatchObject({ optIn: true, ttlMs: 120_000 })
    expect(cachePolicyFrom('max-age=0')).toMatchObject({ optIn: false, write: false })
    expect(cachePolicyFrom('max-age=99999999')).toMatchObject({ ttlMs: 86_400_000 })
    expect(cachePolicyFrom('max-age=abc', 'v1').ttlMs).toBeUndefined()
    expect(cachePolicyFrom('', 'v1').namespace).toBe('v1')
    expect(cachePolicyFrom('', 'bad namespace!').namespace).toBeUndefined()
    expect(cachePolicyFrom(`${'x'.repeat(1_000_000)},no-cache`).read).toBe(true)
  })

  it('hashes the canonical request with tenant and namespace, ignoring stream and key order', async () => {
    const candidates = catalog.tiers.fast
    const request: ChatRequest = { messages: [{ role: 'user', content: 'q' }], temperature: 0 }
    const key = await modelCallKey({ tenant: 'a' }, candidates, request)
    expect(await modelCallKey({ tenant: 'a' }, candidates, { ...request, stream: false })).toBe(key)
    expect(
      await modelCallKey({ tenant: 'a' }, candidates, {
        temperature: 0,
        messages: [{ content: 'q', role: 'user' }],
      }),
    ).toBe(key)
    expect(await modelCallKey({ tenant: 'b' }, candidates, request)).not.toBe(key)
    expect(await modelCallKey({ tenant: 'a', namespace: 'n' }, candidates, request)).not.toBe(key)
    expect(await modelCallKey({ tenant: 'a' }, candidates, { ...request, maxTokens: 5 })).not.toBe(
      key,
    )
  })

  /**
   * A cache over a key that a leader in another process claimed and then died holding: its
   * claim lapses after 200 ms, with the flight log as `records` left it. `call` asks for the
   * key's answer from a model that streams with `stream`.
   */
  async function afterDeadLeader(content: string, records: unknown[] = []) {
    const kv = createInMemoryKvStore()
    const cache = createModelCallCache({ kv })
    const candidates = catalog.tiers.fast.slice(0, 1)
    const request: ChatRequest = { messages: [{ role: 'user', content }], temperature: 0 }
    const key = await modelCallKey({ tenant: 't' }, candidates, request)
    await kv.set(`cache:claim:${key}`, 'ghost-flight', { ttlMs: 200 })
    if (records.length > 0) await kv.append('cache:flight:ghost-flight', records)
    const bound = cache.bind({ tenant: 't', policy: defaultCachePolicy, defer: () => {} })
    const call = (stream: ChatModel['stream']) => {
      const model: ChatModel = {
        id: haiku,
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        stream,
      }
      return bound(
        { models: { get: async () => model, ping: async () => {} } },
        candidates,
        request,
      )
    }
    return { call }
  }

  it('takes over the call of a leader that died before its first event (its claim expired, no end)', async () => {
    const { call } = await afterDeadLeader('g')
    let calls = 0
    const answer: ChatModel['stream'] = async function* () {
      calls += 1
      yield { type: 'text-delta', text: 'answered here' }
      yield { type: 'finish', reason: 'stop' }
    }
    const events = await collect(call(answer))
    // Not a 504: the follower decided again, claimed the key and called the model, once.
    expect(calls).toBe(1)
    expect(events[0]).toMatchObject({ type: 'model-start', cache: { status: 'MISS' } })
    expect(events.slice(1)).toEqual([
      { type: 'text-delta', text: 'answered here' },
      { type: 'finish', reason: 'stop' },
    ])
    // Its answer is stored for the next caller.
    expect((await collect(call(answer)))[0]).toMatchObject({ cache: { status: 'HIT' } })
  }, 10_000)

  it('fails a follower whose leader died after part of the answer reached it', async () => {
    const candidate = catalog.tiers.fast[0]
    // The leader elsewhere wrote the start of its answer, then died.
    const { call } = await afterDeadLeader('h', [
      { seq: 0, event: { type: 'model-start', candidate, attempt: 1 } },
      { seq: 1, event: { type: 'text-delta', text: 'Half an ans' } },
    ])
    const { events, error } = await collectUntilError(
      call(() => {
        throw new Error('a follower with part of an answer never calls the model')
      }),
    )
    // A stateless client cannot unsee the half it has: the answer fails, retryable.
    expect(events.map((e) => e.type)).toEqual(['model-start', 'text-delta'])
    expect(error).toMatchObject({ code: 'provider_timeout', retryable: true })
  }, 10_000)
})
