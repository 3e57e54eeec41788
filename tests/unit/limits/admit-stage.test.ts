import { randomUUID } from 'node:crypto'
import { Redis } from '@upstash/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../../src/core/auth/principal.ts'
import { StoreError } from '../../../src/core/errors.ts'
import { createAdmitStage } from '../../../src/core/gate/admit-stage.ts'
import type { GateStage, StageVerdict } from '../../../src/core/gate/gate-stage.ts'
import type { ModelWork } from '../../../src/core/gate/model-work.ts'
import type { RequestContext } from '../../../src/core/gate/request-context.ts'
import { estimateWork } from '../../../src/core/gate/work-estimate.ts'
import { createKvLimiter } from '../../../src/core/limits/kv-limiter.ts'
import { LimitError } from '../../../src/core/limits/limit-errors.ts'
import type { LimitPolicy } from '../../../src/core/limits/limit-policy.ts'
import type { Limiter } from '../../../src/core/limits/limiter.ts'
import { createUpstashLimiter } from '../../../src/core/limits/upstash-limiter.ts'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import { createUpstashRedisKvStore } from '../../../src/core/memory/upstash-redis-kv-store.ts'
import type { CatalogEntry } from '../../../src/core/models/model-catalog.ts'
import { createLogger } from '../../../src/core/telemetry/logger.ts'
import { serviceAvailable } from '../../support/services.ts'
import {
  startUpstashRedisBridge,
  type UpstashRedisBridge,
} from '../../support/upstash-redis-bridge.ts'

const redisUp = await serviceAvailable('redis')
const logger = createLogger({ level: 'error' })

// $3 / $15 per million tokens: a request reserving 1000 output tokens costs at least $0.015.
const priced: CatalogEntry = {
  id: 'anthropic:claude-sonnet-4-5',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  capabilities: { tools: true, vision: true, contextWindow: 200_000 },
  price: { inputPerMTok: 3, outputPerMTok: 15 },
}
const catalog = { get: () => priced, entries: () => [priced] }

const work: ModelWork = {
  kind: 'completion',
  request: { messages: [{ role: 'user', content: 'x'.repeat(400) }], maxTokens: 1000 },
}

function context(principal: Principal): RequestContext {
  return { principal, surface: 'openai', requestId: randomUUID() }
}
const keyPrincipal = (limits?: LimitPolicy): Principal => ({
  kind: 'api-key',
  userId: 'u',
  keyId: randomUUID(),
  ...(limits ? { limits } : {}),
})

function stage(limiter: Limiter, defaults: LimitPolicy, storeDown: 'closed' | 'open' = 'closed') {
  return createAdmitStage({
    limiter,
    defaults,
    catalog,
    defaultOutputTokens: 1024,
    storeDown,
    failOpenRpm: 3,
    logger,
  })
}

async function fifty(admit: GateStage, principal: Principal): Promise<StageVerdict[]> {
  return Promise.all(Array.from({ length: 50 }, () => admit.check(context(principal), work)))
}

const estimate = estimateWork(work, catalog, 1024)

function overrunSuite(name: string, limiter: () => Limiter) {
  describe(`50 simultaneous requests (${name})`, () => {
    it('never overrun a TPM cap by more than one request’s reservation', async () => {
      // 400 characters and the message's framing (104 tokens), and 1000 to answer.
      expect(estimate.tokens).toBe(1104)
      const principal = keyPrincipal({ tpm: 10_000 })
      const verdicts = await fifty(stage(limiter(), {}), principal)
      const admitted = verdicts.filter((v) => v.kind === 'continue').length
      expect(admitted).toBeGreaterThanOrEqual(1)
      expect(admitted * estimate.tokens).toBeLessThanOrEqual(10_000 + 1000)
      const refused = verdicts.find((v) => v.kind === 'refuse')
      expect(refused?.kind === 'refuse' && refused.error.code).toBe('tokens_rate_limited')
    })

    it('never overrun a dollar budget by more than one request’s reservation', async () => {
      // 104 input tokens at $3 and 1000 output at $15 per million: $0.015312 a request.
      expect(estimate.usdMicros).toBe(15_312)
      const principal = keyPrincipal({ usdPerDay: 0.1 })
      const verdicts = await fifty(stage(limiter(), {}), principal)
      const admitted = verdicts.filter((v) => v.kind === 'continue').length
      expect(admitted).toBeGreaterThanOrEqual(1)
      expect(admitted * estimate.usdMicros).toBeLessThanOrEqual(100_000 + 15_312)
      const refused = verdicts.find((v) => v.kind === 'refuse')
      if (refused?.kind !== 'refuse') throw new Error('expected a refusal')
      expect(refused.error).toBeInstanceOf(LimitError)
      expect(refused.error).toMatchObject({ code: 'budget_exhausted', status: 402 })
    })
  })
}

overrunSuite('in-memory', () => createKvLimiter({ kv: createInMemoryKvStore() }))

describe.skipIf(!redisUp)('through Upstash → bridge → Redis', () => {
  let bridge: UpstashRedisBridge
  let redis: Redis
  const kvPrefix = `test:admit:${randomUUID()}:`
  beforeAll(async () => {
    bridge = await startUpstashRedisBridge()
    redis = new Redis({
      url: bridge.url,
      token: bridge.token,
      automaticDeserialization: false,
      retry: false,
    })
  })
  afterAll(async () => {
    const keys = await redis?.keys(`${kvPrefix}*`)
    if (keys?.length) await redis.del(...keys)
    await bridge?.close()
  })
  overrunSuite('upstash', () =>
    createUpstashLimiter({
      redis,
      kv: createUpstashRedisKvStore({ redis, prefix: kvPrefix }),
      kvPrefix,
    }),
  )
})

describe('settling', () => {
  it('replaces reservations by the real usage and gives the slot back', async () => {
    const limiter = createKvLimiter({ kv: createInMemoryKvStore() })
    const principal = keyPrincipal({ tpm: 100_000, concurrent: 1, usdPerDay: 1 })
    const admit = stage(limiter, {})
    const verdict = await admit.check(context(principal), work)
    if (verdict.kind !== 'continue') throw new Error('expected continue')
    const id = `key:${principal.keyId}`
    expect(await limiter.peekSlots(id)).toBe(1)
    expect((await admit.check(context(principal), work)).kind).toBe('refuse')
    await verdict.settle?.({
      kind: 'finished',
      runId: 'r',
      status: 'completed',
      usage: { inputTokens: 40, outputTokens: 60, costUsd: 0.001 },
    })
    expect(await limiter.peekSlots(id)).toBe(0)
    expect(await limiter.peekBudget(id, 'tpm', { kind: 'sliding', ms: 60_000 })).toBe(100)
    expect(await limiter.peekBudget(id, 'usd', { kind: 'calendar', unit: 'day' })).toBe(1000)
  })

  it('undoes what a refused request had taken', async () => {
    const limiter = createKvLimiter({ kv: createInMemoryKvStore() })
    // The tokens fit, the dollars do not: the token reservation and the slot are given back.
    const principal = keyPrincipal({ tpm: 100_000, concurrent: 5, usdPerDay: 0 })
    const verdict = await stage(limiter, {}).check(context(principal), work)
    expect(verdict).toMatchObject({ kind: 'refuse', error: { code: 'budget_exhausted' } })
    const id = `key:${principal.keyId}`
    expect(await limiter.peekSlots(id)).toBe(0)
    expect(await limiter.peekBudget(id, 'tpm', { kind: 'sliding', ms: 60_000 })).toBe(0)
  })
})

describe('when the limit store is down', () => {
  const down: Limiter = new Proxy({} as Limiter, {
    get: (_target, property) =>
      property === 'backend'
        ? 'down'
        : () => Promise.reject(new StoreError('limits', 'down', { retryable: true })),
  })

  it('fails closed by default: 503 limits_unavailable with Retry-After', async () => {
    const verdict = await stage(down, { rpm: 100 }).check(context(keyPrincipal()), work)
    if (verdict.kind !== 'refuse') throw new Error('expected a refusal')
    expect(verdict.error).toMatchObject({
      code: 'limits_unavailable',
      status: 503,
      retryable: true,
    })
    expect((verdict.error as unknown as { retryAfterSeconds: number }).retryAfterSeconds).toBe(5)
  })

  it('fails open when configured, under a small per-isolate cap per caller', async () => {
    const left = 60_000 - (Date.now() % 60_000)
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50))
    const admit = stage(down, { rpm: 100, tpm: 1 }, 'open')
    const principal = keyPrincipal()
    const kinds = []
    for (let i = 0; i < 4; i++) kinds.push((await admit.check(context(principal), work)).kind)
    // Three a minute (failOpenRpm), and the token budget is not checked at all.
    expect(kinds).toEqual(['continue', 'continue', 'continue', 'refuse'])
    expect((await admit.check(context(keyPrincipal()), work)).kind).toBe('continue')
  }, 20_000)
})
