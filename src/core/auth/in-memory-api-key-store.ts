import { createTimeOrderedId } from '../memory/time-ordered-id.ts'
import { displayPrefix, hashApiKey, newApiKeySecret } from './api-key-secret.ts'
import type { ApiKey, ApiKeyStore } from './api-key-store.ts'

/** Options of `createInMemoryApiKeyStore`. */
export interface InMemoryApiKeyStoreOptions {
  now?: () => number
  newId?: () => string
  newSecret?: () => string
}

/**
 * The API key store's in-process twin, for tests and for Workers without a database (where a
 * key lives as long as the isolate). Records are copied in and out.
 */
export function createInMemoryApiKeyStore(options: InMemoryApiKeyStoreOptions = {}): ApiKeyStore {
  const now = options.now ?? Date.now
  const newId = options.newId ?? createTimeOrderedId(now)
  const newSecret = options.newSecret ?? newApiKeySecret
  const byHash = new Map<string, ApiKey>()
  const byId = new Map<string, ApiKey>()

  const findByHash = async (hash: string) => {
    const key = byHash.get(hash)
    return key && { ...key }
  }

  return {
    async create({ userId, name }) {
      const secret = newSecret()
      const key: ApiKey = {
        id: newId(),
        userId,
        name,
        prefix: displayPrefix(secret),
        createdAt: now(),
      }
      byHash.set(await hashApiKey(secret), key)
      byId.set(key.id, key)
      return { key: { ...key }, secret }
    },
    findByHash,
    async verify(secret) {
      const key = await findByHash(await hashApiKey(secret))
      return key && key.revokedAt === undefined ? key : undefined
    },
    async markUsed(id, at) {
      const key = byId.get(id)
      if (key) key.lastUsedAt = at
    },
    async list(userId) {
      return [...byId.values()]
        .filter((key) => key.userId === userId)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
        .map((key) => ({ ...key }))
    },
    async revoke(id, userId) {
      const key = byId.get(id)
      if (!key || key.revokedAt !== undefined) return false
      if (userId !== undefined && key.userId !== userId) return false
      key.revokedAt = now()
      return true
    },
  }
}
