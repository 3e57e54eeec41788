import type { Config } from '../core/config.ts'
import { toPostgresStoreError } from '../core/memory/postgres-store-error.ts'
import type { SqlDatabase } from '../core/memory/sql-database.ts'
import { connectDatabase } from './connect-database.ts'
import { openEmbeddedDatabase } from './embedded-database.ts'
import { migrateDatabase } from './migrate-database.ts'

/** An opened database and how to close it at shutdown. */
export interface OpenedDatabase extends SqlDatabase {
  close(): Promise<void>
}

/**
 * Opens the app's SQL database on Bun, Deno or Node: DATABASE_URL (migrated at start-up), or
 * else the embedded PGlite file database under DATA_DIR when there is a writable disk.
 * Without either, resolves to undefined and the app keeps history in memory.
 */
export async function openDatabase(
  config: Config,
  options: { hasFileSystem: boolean },
): Promise<OpenedDatabase | undefined> {
  // A database that cannot be reached at start-up is a store failure like any later one
  // (`store_unavailable`, 503, retryable), not an internal error: as Workers answer it.
  return open(config, options).catch((error: unknown) => {
    throw toPostgresStoreError('history', 'open', error)
  })
}

async function open(config: Config, options: { hasFileSystem: boolean }) {
  if (config.DATABASE_URL) {
    const connected = await connectDatabase(config.DATABASE_URL)
    try {
      const { vector } = await migrateDatabase(connected.db)
      const opened: OpenedDatabase = {
        db: connected.db,
        backend: connected.driver === 'neon-serverless' ? 'neon' : 'postgres',
        hasVector: vector,
        close: connected.close,
      }
      return opened
    } catch (error) {
      await connected.close().catch(() => {})
      throw error
    }
  }
  if (!options.hasFileSystem) return undefined
  const embedded = await openEmbeddedDatabase({ dataDir: config.DATA_DIR })
  const opened: OpenedDatabase = {
    db: embedded.db,
    backend: 'pglite',
    hasVector: true,
    close: embedded.close,
  }
  return opened
}
