import { access, mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { drizzle } from 'drizzle-orm/pglite'
import type { PostgresDatabase } from '../core/memory/postgres-history-store.ts'
import { lockEmbeddedDatabase } from './embedded-database-lock.ts'
import { migrateDatabase } from './migrate-database.ts'

/** The embedded PostgreSQL (PGlite + pgvector) of a Bun, Deno or Node process. */
export interface EmbeddedDatabase {
  /** Drizzle over the PGlite client, with history and vector migrations applied. */
  db: PostgresDatabase
  client: PGlite
  /** Where the files are: `<dataDir>/pglite`. */
  path: string
  /** Closes the database; a later `openEmbeddedDatabase` opens it again. */
  close(): Promise<void>
}

/** Options of `openEmbeddedDatabase`. */
export interface EmbeddedDatabaseOptions {
  /** The app's data directory (default `.data`); the database lives in its `pglite` folder. */
  dataDir?: string
}

/** Whether the data directory already holds an embedded database (false: the next open creates it). */
export async function embeddedDatabaseExists(dataDir = '.data'): Promise<boolean> {
  try {
    await access(join(dataDir, 'pglite', 'PG_VERSION'))
    return true
  } catch {
    return false
  }
}

const opened = new Map<string, Promise<EmbeddedDatabase>>()

// PostgreSQL's default 128 MB of shared buffers is allocated and touched inside PGlite's wasm
// memory at start: it was half of the process's RSS after opening. One process's chat history
// is served well by 16 MB (the pages it reads stay in the OS cache anyway).
const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB']

/**
 * Opens the PGlite file database under the data directory, with pgvector, and applies pending
 * migrations. Memoised per path: every caller in the process shares one instance (PGlite
 * takes seconds to start and allows one opener per directory). A failed open is forgotten so
 * the next call tries again.
 */
export function openEmbeddedDatabase(
  options: EmbeddedDatabaseOptions = {},
): Promise<EmbeddedDatabase> {
  const dataDir = options.dataDir ?? '.data'
  const path = resolve(join(dataDir, 'pglite'))
  let pending = opened.get(path)
  if (!pending) {
    pending = open(dataDir, path)
    opened.set(path, pending)
    pending.catch(() => opened.delete(path))
  }
  return pending
}

async function open(dataDir: string, path: string): Promise<EmbeddedDatabase> {
  await mkdir(path, { recursive: true })
  // One process at a time (see EmbeddedDatabaseBusyError): refuse before touching the files.
  const lock = await lockEmbeddedDatabase(dataDir)
  let client: PGlite
  try {
    client = await PGlite.create(path, { extensions: { vector }, startParams })
  } catch (error) {
    await lock.release()
    throw error
  }
  try {
    const db = drizzle({ client })
    await migrateDatabase(db, { vector: true })
    return {
      db,
      client,
      path,
      async close() {
        opened.delete(path)
        await client.close()
        await lock.release()
      },
    }
  } catch (error) {
    await client.close().catch(() => {})
    await lock.release()
    throw error
  }
}
