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

/**
 * A database known by kind before it is opened (the embedded PGlite): the stores over it open
 * it on their first call, not at start. `open` is shared by concurrent callers and retried
 * after a failure by whoever supplies it.
 */
export interface DeferredSqlDatabase {
  backend: SqlDatabase['backend']
  hasVector: boolean
  open(): Promise<PostgresDatabase>
}
