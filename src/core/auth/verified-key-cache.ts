import type { ApiKey, ApiKeyStore } from './api-key-store.ts'

/** Options of `withVerifiedKeyCache`. */
export interface VerifiedKeyCacheOptions {
  /** How long a verified key is trusted without asking the store again. Default 5 s. */
  ttlMs?: number
  /** Most keys remembered; the oldest is forgotten first. Default 1000. */
  maxEntries?: number
  now?: () => number
}

/**
 * Remembers keys that verified, for a few seconds, so a busy program's requests skip the
 * SHA-256 and the store lookup. Only successes are kept: an unknown secret is hashed and
 * looked up every time, so sprayed guesses can neither fill the cache nor skip the store.
 * A revocation or a limits change through this store forgets the key at once; one made by
 * another process (another isolate, `npm run keys`) takes effect here within `ttlMs`.
 */
export function withVerifiedKeyCache(
  store: ApiKeyStore,
  options: VerifiedKeyCacheOptions = {},
): ApiKeyStore {
  const ttlMs = options.ttlMs ?? 5000
  const maxEntries = options.maxEntries ?? 1000
  const now = options.now ?? Date.now
  const bySecret = new Map<string, { key: ApiKey; until: number }>()
  const verifying = new Map<string, Promise<ApiKey | undefined>>()
  // Bumped by every revocation or limits change: a lookup begun before one is not cached.
  let generation = 0
  const forget = (id: string) => {
    for (const [secret, entry] of bySecret) if (entry.key.id === id) bySecret.delete(secret)
    // A lookup in flight may have read the key before the change: its answer is not kept.
    generation += 1
    verifying.clear()
  }
  return {
    ...store,
    async verify(secret) {
      const cached = bySecret.get(secret)
      if (cached && cached.until > now()) return { ...cached.key }
      bySecret.delete(secret)
      // Concurrent first requests with one key share a single lookup.
      const began = generation
      let pending = verifying.get(secret)
      if (!pending) {
        pending = store.verify(secret).finally(() => verifying.delete(secret))
        verifying.set(secret, pending)
      }
      const key = await pending
      if (key && began === generation && !bySecret.has(secret)) {
        if (bySecret.size >= maxEntries) {
          const oldest = bySecret.keys().next().value
          if (oldest !== undefined) bySecret.delete(oldest)
        }
        bySecret.set(secret, { key: { ...key }, until: now() + ttlMs })
      }
      return key ? { ...key } : undefined
    },
    async markUsed(id, at) {
      // The cached copy learns the use too, or every hit would look a minute stale.
      for (const entry of bySecret.values()) if (entry.key.id === id) entry.key.lastUsedAt = at
      await store.markUsed(id, at)
    },
    async revoke(id, userId) {
      forget(id)
      const revoked = await store.revoke(id, userId)
      forget(id)
      return revoked
    },
    async setLimits(id, limits) {
      forget(id)
      const changed = await store.setLimits(id, limits)
      forget(id)
      return changed
    },
  }
}
