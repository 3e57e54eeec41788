import type { PostgresDatabase } from '../memory/postgres-history-store.ts'
import type { ApiKeyStore } from './api-key-store.ts'
import { createInMemoryApiKeyStore } from './in-memory-api-key-store.ts'
import { createPostgresApiKeyStore } from './postgres-api-key-store.ts'
import { parseStaticApiKeys, withStaticApiKeys } from './static-api-keys.ts'
import { withVerifiedKeyCache } from './verified-key-cache.ts'

/**
 * API keys live beside history: in its database, or in memory when history is. Keys given as
 * hashes in configuration (`API_KEY_HASHES`) are accepted in addition. Verified keys are
 * remembered for a few seconds (`withVerifiedKeyCache`).
 */
export function createApiKeyStore(options: {
  database?: PostgresDatabase
  staticHashes?: string
}): ApiKeyStore {
  const stored = options.database
    ? createPostgresApiKeyStore({ db: options.database })
    : createInMemoryApiKeyStore()
  return withVerifiedKeyCache(
    options.staticHashes
      ? withStaticApiKeys(stored, parseStaticApiKeys(options.staticHashes))
      : stored,
  )
}
