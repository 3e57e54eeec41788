import { describe, expect, it } from 'vitest'
import type { ApiKeyStore } from '../../../src/core/auth/api-key-store.ts'
import { createInMemoryApiKeyStore } from '../../../src/core/auth/in-memory-api-key-store.ts'
import { withVerifiedKeyCache } from '../../../src/core/auth/verified-key-cache.ts'

/** The in-memory store, counting how often `verify` reaches it. */
function countingStore(): { store: ApiKeyStore; verifies: () => number } {
  const inner = createInMemoryApiKeyStore()
  let count = 0
  return {
    store: {
      ...inner,
      verify: (secret) => {
        count += 1
        return inner.verify(secret)
      },
    },
    verifies: () => count,
  }
}

describe('withVerifiedKeyCache', () => {
  it('answers a key verified moments ago without the store, and asks again after the TTL', async () => {
    const { store, verifies } = countingStore()
    let clock = 1_000
    const keys = withVerifiedKeyCache(store, { ttlMs: 5000, now: () => clock })
    const made = await keys.create({ userId: 'u', name: 'k' })
    expect((await keys.verify(made.secret))?.id).toBe(made.key.id)
    expect((await keys.verify(made.secret))?.id).toBe(made.key.id)
    expect(verifies()).toBe(1)
    clock += 5001
    expect((await keys.verify(made.secret))?.id).toBe(made.key.id)
    expect(verifies()).toBe(2)
  })

  it('shares one lookup among concurrent first requests with the same key', async () => {
    const { store, verifies } = countingStore()
    const keys = withVerifiedKeyCache(store)
    const made = await keys.create({ userId: 'u', name: 'k' })
    const found = await Promise.all(Array.from({ length: 20 }, () => keys.verify(made.secret)))
    expect(found.every((key) => key?.id === made.key.id)).toBe(true)
    expect(verifies()).toBe(1)
  })

  it('never caches an unknown secret', async () => {
    const { store, verifies } = countingStore()
    const keys = withVerifiedKeyCache(store)
    expect(await keys.verify('op_unknown')).toBeUndefined()
    expect(await keys.verify('op_unknown')).toBeUndefined()
    expect(verifies()).toBe(2)
  })

  it('forgets a key at once when it is revoked or its limits change through it', async () => {
    const { store } = countingStore()
    const keys = withVerifiedKeyCache(store, { ttlMs: 60_000 })
    const made = await keys.create({ userId: 'u', name: 'k' })
    await keys.verify(made.secret)
    expect(await keys.setLimits(made.key.id, { rpm: 3 })).toBe(true)
    expect((await keys.verify(made.secret))?.limits).toEqual({ rpm: 3 })
    expect(await keys.revoke(made.key.id)).toBe(true)
    expect(await keys.verify(made.secret)).toBeUndefined()
  })

  it('keeps at most maxEntries keys, forgetting the oldest', async () => {
    const { store, verifies } = countingStore()
    const keys = withVerifiedKeyCache(store, { maxEntries: 2 })
    const made = await Promise.all(
      ['a', 'b', 'c'].map((name) => keys.create({ userId: 'u', name })),
    )
    for (const { secret } of made) await keys.verify(secret)
    expect(verifies()).toBe(3)
    await keys.verify(made[2]!.secret)
    await keys.verify(made[1]!.secret)
    expect(verifies()).toBe(3)
    await keys.verify(made[0]!.secret)
    expect(verifies()).toBe(4)
  })

  it('records a use on the cached copy too', async () => {
    const { store } = countingStore()
    const keys = withVerifiedKeyCache(store)
    const made = await keys.create({ userId: 'u', name: 'k' })
    await keys.verify(made.secret)
    await keys.markUsed(made.key.id, 123_456)
    expect((await keys.verify(made.secret))?.lastUsedAt).toBe(123_456)
  })
})
