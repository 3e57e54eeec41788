import { lazyStore } from '../memory/lazy-store.ts'
import type { PostgresDatabase } from '../memory/postgres-history-store.ts'
import type { ApiKeyStore } from './api-key-store.ts'
import { createInMemoryApiKeyStore } from './in-memory-api-key-store.ts'
import { createPostgresApiKeyStore } from './postgres-api-key-store.ts'
import { parseStaticApiKeys, withStaticApiKeys } from './static-api-keys.ts'
import { withVerifiedKeyCache } from './verified-key-cache.ts'

/**
 * API keys live beside history: in its database, or in memory when history is. Keys given as
 * hashes in configuration (`API_KEY_HASHES`) are accepted in addition. Verified keys are
 * remembered for a few seconds (`withVerifiedKeyCache`). A deferred database (`openDatabase`)
 * is opened by the first call that reaches the stored keys: a configured key verifies without it.
 */
export function createApiKeyStore(options: {
  database?: PostgresDatabase
  openDatabase?: () => Promise<PostgresDatabase>
  staticHashes?: string
}): ApiKeyStore {
  const { database, openDatabase } = options
  const stored = database
    ? createPostgresApiKeyStore({ db: database })
    : openDatabase
      ? lazyStore(() => openDatabase().then((db) => createPostgresApiKeyStore({ db })))
      : createInMemoryApiKeyStore()
  return withVerifiedKeyCache(
    options.staticHashes
      ? withStaticApiKeys(stored, parseStaticApiKeys(options.staticHashes))
      : stored,
  )
}
