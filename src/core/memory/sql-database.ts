import type { PostgresDatabase } from './postgres-history-store.ts'

/**
 * A migrated SQL database the runtime opened for the app: PGlite under DATA_DIR, or the
 * DATABASE_URL server reached over TCP or Neon's WebSocket. Workers have none (they reach
 * DATABASE_URL over Neon's HTTP path, built in core).
 */
export interface SqlDatabase {
  db: PostgresDatabase
  backend: 'pglite' | 'postgres' | 'neon'
  /** Whether the pgvector migrations ran, so semantic memory can live here. */
  hasVector: boolean
}
