import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe } from 'vitest'
import { createInMemoryApiKeyStore } from '../../src/core/auth/in-memory-api-key-store.ts'
import { createPostgresApiKeyStore } from '../../src/core/auth/postgres-api-key-store.ts'
import {
  createPostgresHistoryStore,
  type PostgresDatabase,
} from '../../src/core/memory/postgres-history-store.ts'
import { migrateDatabase } from '../../src/runtime/migrate-database.ts'
import { useMigratedPglite } from '../support/migrated-pglite.ts'
import { serviceAvailable } from '../support/services.ts'
import { createTemporaryDatabase, type TemporaryDatabase } from '../support/temporary-database.ts'
import { type ApiKeyStoreHarness, apiKeyStoreContract } from './api-key-store.contract.ts'

const postgresUp = await serviceAvailable('postgres')

function harnessFor(db: () => PostgresDatabase): () => ApiKeyStoreHarness {
  return () => ({
    store: (options) => createPostgresApiKeyStore({ db: db(), ...options }),
    user: async (id) => {
      await createPostgresHistoryStore({ db: db() }).upsertUser({ id })
    },
  })
}

describe('ApiKeyStore in memory', () => {
  apiKeyStoreContract(() => ({
    store: (options) => createInMemoryApiKeyStore(options),
    user: async () => {},
  }))
})

describe('ApiKeyStore on PGlite (drizzle pglite, in memory)', () => {
  const pglite = useMigratedPglite({ vector: false })
  apiKeyStoreContract(harnessFor(pglite.db))
})

describe.skipIf(!postgresUp)('ApiKeyStore on PostgreSQL (node-postgres)', () => {
  let database: TemporaryDatabase
  let pool: pg.Pool
  let db: PostgresDatabase
  beforeAll(async () => {
    database = await createTemporaryDatabase('api_keys_pg')
    pool = new pg.Pool({ connectionString: database.url, max: 2 })
    db = drizzleNodePg({ client: pool })
    await migrateDatabase(db, { vector: false })
  })
  afterAll(async () => {
    await pool?.end()
    await database?.drop()
  })
  apiKeyStoreContract(harnessFor(() => db))
})
