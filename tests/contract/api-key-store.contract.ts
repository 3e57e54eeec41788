import { expect, it } from 'vitest'
import { hashApiKey } from '../../src/core/auth/api-key-secret.ts'
import type { ApiKeyStore } from '../../src/core/auth/api-key-store.ts'

/** What the API key contract needs from one implementation. */
export interface ApiKeyStoreHarness {
  /** A store over the implementation's shared database, with this clock. */
  store(options?: { now?: () => number }): ApiKeyStore
  /** Makes a user the keys can belong to (the table has a foreign key to users). */
  user(id: string): Promise<void>
}

let counter = 0
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}`

/** The ApiKeyStore contract; `harness` is read when tests run, so `beforeAll` may set it. */
export function apiKeyStoreContract(harness: () => ApiKeyStoreHarness) {
  async function setup(now?: () => number) {
    const h = harness()
    const userId = unique('user')
    await h.user(userId)
    return { store: h.store(now ? { now } : undefined), userId, h }
  }

  it('creates a key whose secret is shown once and verifies by hash', async () => {
    const { store, userId } = await setup(() => 1_700_000_000_000)
    const { key, secret } = await store.create({ userId, name: 'ci' })
    expect(secret).toMatch(/^op_[\w-]{43}$/)
    expect(key).toEqual({
      id: expect.any(String),
      userId,
      name: 'ci',
      prefix: secret.slice(0, 10),
      createdAt: 1_700_000_000_000,
    })
    expect(JSON.stringify(key)).not.toContain(secret.slice(10))
    expect(await store.verify(secret)).toEqual(key)
    expect(await store.findByHash(await hashApiKey(secret))).toEqual(key)
  })

  it('gives every key a different secret and id', async () => {
    const { store, userId } = await setup()
    const a = await store.create({ userId, name: 'a' })
    const b = await store.create({ userId, name: 'b' })
    expect(a.secret).not.toBe(b.secret)
    expect(a.key.id).not.toBe(b.key.id)
    expect((await store.verify(b.secret))?.id).toBe(b.key.id)
  })

  it('does not verify unknown, empty or near-miss secrets', async () => {
    const { store, userId } = await setup()
    const { secret } = await store.create({ userId, name: 'x' })
    expect(await store.verify('')).toBeUndefined()
    expect(await store.verify(`${secret}x`)).toBeUndefined()
    expect(await store.verify(secret.slice(0, -1))).toBeUndefined()
    expect(await store.findByHash(await hashApiKey('op_nope'))).toBeUndefined()
  })

  it('lists a user’s keys oldest first, and only theirs', async () => {
    let t = 1_700_000_000_000
    const { store, userId, h } = await setup(() => t++)
    const other = unique('other')
    await h.user(other)
    const first = await store.create({ userId, name: 'first' })
    await store.create({ userId: other, name: 'theirs' })
    const second = await store.create({ userId, name: 'second' })
    const listed = await store.list(userId)
    expect(listed.map((k) => k.name)).toEqual(['first', 'second'])
    expect(listed[0]).toEqual(first.key)
    expect(listed[1]?.id).toBe(second.key.id)
    expect(await store.list(unique('nobody'))).toEqual([])
  })

  it('revokes: the key stops verifying, stays listed with revokedAt, and revokes once', async () => {
    let t = 1_700_000_000_000
    const { store, userId } = await setup(() => t)
    const { key, secret } = await store.create({ userId, name: 'old' })
    t += 5000
    expect(await store.revoke(key.id)).toBe(true)
    expect(await store.verify(secret)).toBeUndefined()
    expect(await store.findByHash(await hashApiKey(secret))).toMatchObject({
      id: key.id,
      revokedAt: 1_700_000_005_000,
    })
    expect((await store.list(userId))[0]?.revokedAt).toBe(1_700_000_005_000)
    expect(await store.revoke(key.id)).toBe(false)
    expect(await store.revoke('no-such-key')).toBe(false)
  })

  it('records the last use', async () => {
    const { store, userId } = await setup()
    const { key, secret } = await store.create({ userId, name: 'used' })
    await store.markUsed(key.id, 1_700_000_009_000)
    await store.markUsed('no-such-key', 1_700_000_009_000)
    expect((await store.verify(secret))?.lastUsedAt).toBe(1_700_000_009_000)
    expect((await store.list(userId))[0]?.lastUsedAt).toBe(1_700_000_009_000)
  })

  it('revokes for an owner only when the key is theirs', async () => {
    const { store, userId, h } = await setup()
    const other = unique('other')
    await h.user(other)
    const { key, secret } = await store.create({ userId, name: 'mine' })
    expect(await store.revoke(key.id, other)).toBe(false)
    expect(await store.verify(secret)).toBeDefined()
    expect(await store.revoke(key.id, userId)).toBe(true)
    expect(await store.verify(secret)).toBeUndefined()
  })

  it('keeps a key’s own limits, replaces them, and clears them', async () => {
    const { store, userId } = await setup()
    const { key, secret } = await store.create({
      userId,
      name: 'limited',
      limits: { rpm: 60, tpm: 100_000, usdPerDay: 5 },
    })
    expect(key.limits).toEqual({ rpm: 60, tpm: 100_000, usdPerDay: 5 })
    expect((await store.verify(secret))?.limits).toEqual({ rpm: 60, tpm: 100_000, usdPerDay: 5 })
    expect(await store.setLimits(key.id, { rpm: 5, usdPerMonth: 0.25 })).toBe(true)
    expect((await store.verify(secret))?.limits).toEqual({ rpm: 5, usdPerMonth: 0.25 })
    expect((await store.list(userId))[0]?.limits).toEqual({ rpm: 5, usdPerMonth: 0.25 })
    expect(await store.setLimits(key.id, {})).toBe(true)
    expect((await store.verify(secret))?.limits).toBeUndefined()
    expect(await store.setLimits('no-such-key', { rpm: 1 })).toBe(false)
    const plain = await store.create({ userId, name: 'plain' })
    expect(plain.key.limits).toBeUndefined()
  })
}
