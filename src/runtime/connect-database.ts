import type { PostgresDatabase } from '../core/memory/postgres-history-store.ts'

/** A drizzle database over a connection pool, and how to close the pool. */
export interface ConnectedDatabase {
  db: PostgresDatabase
  /** Which driver was chosen: the Neon WebSocket Pool for Neon hosts, node-postgres otherwise. */
  driver: 'neon-serverless' | 'node-postgres'
  close(): Promise<void>
}

/**
 * Connects to `DATABASE_URL` from Bun, Deno or Node, for start-up migrations and long-lived
 * servers. Neon hosts (`*.neon.tech`) go through the Neon WebSocket Pool, which supports
 * transactions (migrations need them); any other PostgreSQL through node-postgres over TCP.
 * Drivers are imported only when chosen. Workers use neon-http instead (fetch only).
 */
export async function connectDatabase(url: string, options: { max?: number } = {}) {
  const max = options.max ?? 4
  if (new URL(url).hostname.endsWith('.neon.tech')) {
    const { Pool, neonConfig } = await import('@neondatabase/serverless')
    const { drizzle } = await import('drizzle-orm/neon-serverless')
    if (typeof WebSocket === 'undefined') {
      // Node 20 has no global WebSocket.
      neonConfig.webSocketConstructor = (await import('ws')).WebSocket
    }
    const pool = new Pool({ connectionString: url, max })
    const connected: ConnectedDatabase = {
      db: drizzle({ client: pool }),
      driver: 'neon-serverless',
      close: () => pool.end(),
    }
    return connected
  }
  const { default: pg } = await import('pg')
  const { drizzle } = await import('drizzle-orm/node-postgres')
  const pool = new pg.Pool({ connectionString: url, max })
  // An idle connection dropped by the server must not crash the process; the next query
  // gets a fresh one (and a retryable StoreError if the server is really gone).
  pool.on('error', () => {})
  const connected: ConnectedDatabase = {
    db: drizzle({ client: pool }),
    driver: 'node-postgres',
    close: () => pool.end(),
  }
  return connected
}
