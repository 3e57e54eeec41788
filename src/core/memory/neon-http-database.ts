import { neon } from '@neondatabase/serverless'
import { drizzle } from 'drizzle-orm/neon-http'
import type { PostgresDatabase } from './postgres-history-store.ts'

/**
 * DATABASE_URL over Neon's HTTP path: one fetch per query, so it works on every runtime,
 * Workers included, with no connection to keep. The history store needs no transactions.
 * Migrations are applied from outside (`npm run db:migrate`), since Workers have no files.
 */
export function createNeonHttpDatabase(url: string): PostgresDatabase {
  return drizzle({ client: neon(url) }) as unknown as PostgresDatabase
}
