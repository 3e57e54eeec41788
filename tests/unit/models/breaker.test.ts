import { describe, expect, it } from 'vitest'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import type { KvStore } from '../../../src/core/memory/kv-store.ts'
import { createBreaker } from '../../../src/core/models/breaker.ts'

const setup = () => {
  let time = 1_000_000
  const clock = {
    now: () => time,
    advance: (ms: number) => {
      time += ms
    },
  }
  const kv = createInMemoryKvStore({ now: clock.now })
  const options = { kv, now: clock.now, failureThreshold: 3, cooldownMs: 10_000, windowMs: 60_000 }
  return { clock, kv, breaker: createBreaker(options), twin: createBreaker(options) }
}

describe('createBreaker', () => {
  it('opens after N failures, for every instance sharing the store', async () => {
    const { breaker, twin } = setup()
    await breaker.failure('m')
    await twin.failure('m')
    expect(await breaker.allow('m')).toEqual({ allowed: true, state: 'closed', failures: 2 })
    await breaker.failure('m')
    expect(await twin.allow('m')).toMatchObject({ allowed: false, state: 'open' })
  })

  it('lets exactly one half-open probe through after the cooldown, then closes on success', async () => {
    const { breaker, twin, clock } = setup()
    for (let i = 0; i < 3; i++) await breaker.failure('m')
    clock.advance(10_000)
    const verdicts = await Promise.all([breaker.allow('m'), twin.allow('m'), breaker.allow('m')])
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(1)
    expect(verdicts.every((v) => v.state === 'half-open')).toBe(true)
    await breaker.success('m')
    expect(await twin.allow('m')).toEqual({ allowed: true, state: 'closed', failures: 0 })
    await breaker.failure('m')
    expect((await breaker.allow('m')).allowed).toBe(true)
  })

  it('re-opens when the probe fails', async () => {
    const { breaker, clock } = setup()
    for (let i = 0; i < 3; i++) await breaker.failure('m')
    clock.advance(10_000)
    expect((await breaker.allow('m')).allowed).toBe(true)
    await breaker.failure('m')
    expect(await breaker.allow('m')).toMatchObject({
      allowed: false,
      state: 'open',
      retryAt: clock.now() + 10_000,
    })
    clock.advance(10_000)
    expect(await breaker.allow('m')).toMatchObject({ allowed: true, state: 'half-open' })
  })

  it('stays open exactly until a 429 Retry-After, after one failure', async () => {
    const { breaker, clock } = setup()
    await breaker.failure('m', { retryAfterMs: 2_500 })
    expect(await breaker.allow('m')).toEqual({
      allowed: false,
      state: 'open',
      retryAt: clock.now() + 2_500,
    })
    expect((await breaker.allow('other')).allowed).toBe(true)
    clock.advance(2_499)
    expect((await breaker.allow('m')).allowed).toBe(false)
    clock.advance(1)
    expect((await breaker.allow('m')).allowed).toBe(true)
  })

  it('forgets failures older than the window', async () => {
    const { breaker, clock } = setup()
    await breaker.failure('m')
    await breaker.failure('m')
    clock.advance(60_000)
    await breaker.failure('m')
    expect((await breaker.allow('m')).allowed).toBe(true)
  })

  it('resets the failure count on success, without a store call when there is nothing to reset', async () => {
    const { breaker, kv } = setup()
    await breaker.failure('m')
    await breaker.success('m', await breaker.allow('m'))
    expect(await breaker.allow('m')).toEqual({ allowed: true, state: 'closed', failures: 0 })
    let calls = 0
    const counting = createBreaker({
      kv: new Proxy(kv, {
        get: (target, key) => {
          calls += 1
          return Reflect.get(target, key)
        },
      }),
    })
    await counting.success('m', { allowed: true, state: 'closed', failures: 0 })
    expect(calls).toBe(0)
  })

  it('lets traffic through when the store fails', async () => {
    const broken = new Proxy({} as KvStore, {
      get: () => () => Promise.reject(new Error('store down')),
    })
    const breaker = createBreaker({ kv: broken })
    await breaker.failure('m')
    expect(await breaker.allow('m')).toEqual({ allowed: true, state: 'closed' })
  })
})
