import { hashApiKey } from './api-key-secret.ts'
import type { ApiKey, ApiKeyStore } from './api-key-store.ts'

/** A key provisioned by configuration: its owner and the hex SHA-256 of its secret. */
export interface StaticApiKey {
  userId: string
  hash: string
}

/**
 * Parses `API_KEY_HASHES`: `user:sha256hex` entries separated by commas. Only hashes are
 * configured, never secrets, so the bindings leak no usable key.
 */
export function parseStaticApiKeys(text: string): StaticApiKey[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.lastIndexOf(':')
      return { userId: entry.slice(0, at), hash: entry.slice(at + 1).toLowerCase() }
    })
}

/**
 * Puts configured keys in front of a store: for deployments without a database (Workers
 * without DATABASE_URL), where keys made by `npm run keys` have nowhere to live. They verify
 * like stored keys (one hash, then lookups), are listed, and are revoked by removing them
 * from the configuration (`revoke` answers false for them).
 */
export function withStaticApiKeys(
  store: ApiKeyStore,
  entries: readonly StaticApiKey[],
): ApiKeyStore {
  const byHash = new Map<string, ApiKey>(
    entries.map(({ userId, hash }) => [
      hash,
      {
        id: `static-${hash.slice(0, 12)}`,
        userId,
        name: 'configured',
        prefix: 'op_',
        createdAt: 0,
      },
    ]),
  )
  const staticIds = new Set([...byHash.values()].map((key) => key.id))
  const findByHash = async (hash: string) => {
    const key = byHash.get(hash)
    return key ? { ...key } : store.findByHash(hash)
  }
  return {
    create: (input) => store.create(input),
    findByHash,
    async verify(secret) {
      const hash = await hashApiKey(secret)
      const key = byHash.get(hash)
      if (key) return { ...key }
      const stored = await store.findByHash(hash)
      return stored && stored.revokedAt === undefined ? stored : undefined
    },
    markUsed: (id, at) => (staticIds.has(id) ? Promise.resolve() : store.markUsed(id, at)),
    async list(userId) {
      const configured = [...byHash.values()].filter((key) => key.userId === userId)
      return [...configured.map((key) => ({ ...key })), ...(await store.list(userId))]
    },
    revoke: (id, userId) => (staticIds.has(id) ? Promise.resolve(false) : store.revoke(id, userId)),
    // Configured keys take the configured limits; their own would live in the configuration.
    setLimits: (id, limits) =>
      staticIds.has(id) ? Promise.resolve(false) : store.setLimits(id, limits),
  }
}
