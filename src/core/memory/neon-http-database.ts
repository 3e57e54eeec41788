import { neon, neonConfig } from '@neondatabase/serverless'
import { drizzle } from 'drizzle-orm/neon-http'
import type { PostgresDatabase } from './postgres-history-store.ts'

/**
 * DATABASE_URL over Neon's HTTP path: one fetch per query, so it works on every runtime,
 * Workers included, with no connection to keep. The history store needs no transactions.
 * Migrations are applied from outside (`npm run db:migrate`), since Workers have no files.
 */
export function createNeonHttpDatabase(
  url: string,
  options: { fetchEndpoint?: string } = {},
): PostgresDatabase {
  // The driver only has a global setting for this (see PROTOCOLS.md section 3); every
  // database of an isolate comes from the same configuration, so that is no loss.
  if (options.fetchEndpoint) neonConfig.fetchEndpoint = options.fetchEndpoint
  return drizzle({ client: neon(url) }) as unknown as PostgresDatabase
}
