import { PGlite } from '@electric-sql/pglite'
import { vector as pgvector } from '@electric-sql/pglite-pgvector'
import { drizzle } from 'drizzle-orm/pglite'
import { afterAll, beforeAll } from 'vitest'
import type { PostgresDatabase } from '../../src/core/memory/postgres-history-store.ts'
import { type MigrateDatabaseResult, migrateDatabase } from '../../src/runtime/migrate-database.ts'

/**
 * An in-memory PGlite database with the app's migrations applied, for the suite (the
 * `describe`) that calls this: opened before its tests, closed after. PGlite takes seconds to
 * start, so one per suite, never per test. `vector` is passed to `migrateDatabase` (and loads
 * pgvector unless it is false).
 */
export function useMigratedPglite(options: { vector: boolean | 'auto' }) {
  let client: PGlite | undefined
  let db: PostgresDatabase | undefined
  let migration: MigrateDatabaseResult | undefined
  beforeAll(async () => {
    client = await PGlite.create(
      options.vector === false ? {} : { extensions: { vector: pgvector } },
    )
    db = drizzle({ client })
    migration = await migrateDatabase(db, { vector: options.vector })
  })
  afterAll(async () => {
    await client?.close()
  })
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the PGlite database is opened in beforeAll')
    return value
  }
  return {
    client: () => opened(client),
    db: () => opened(db),
    migration: () => opened(migration),
  }
}
