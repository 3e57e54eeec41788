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
    return key && copy(key)
  }

  return {
    async create({ userId, name, limits }) {
      const secret = newSecret()
      const key: ApiKey = {
        id: newId(),
        userId,
        name,
        prefix: displayPrefix(secret),
        createdAt: now(),
        ...(limits && Object.keys(limits).length > 0 ? { limits: { ...limits } } : {}),
      }
      byHash.set(await hashApiKey(secret), key)
      byId.set(key.id, key)
      return { key: copy(key), secret }
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
        .map(copy)
    },
    async revoke(id, userId) {
      const key = byId.get(id)
      if (!key || key.revokedAt !== undefined) return false
      if (userId !== undefined && key.userId !== userId) return false
      key.revokedAt = now()
      return true
    },
    async setLimits(id, limits) {
      const key = byId.get(id)
      if (!key) return false
      if (Object.keys(limits).length > 0) key.limits = { ...limits }
      else delete key.limits
      return true
    },
  }
}

function copy(key: ApiKey): ApiKey {
  return key.limits ? { ...key, limits: { ...key.limits } } : { ...key }
}
