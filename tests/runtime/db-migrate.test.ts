import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serviceAvailable } from '../support/services.ts'
import { createTemporaryDatabase, type TemporaryDatabase } from '../support/temporary-database.ts'

// One bookkeeping row per migration in drizzle-kit's journal.
const historyMigrationCount = (
  JSON.parse(
    readFileSync(new URL('../../drizzle/history/meta/_journal.json', import.meta.url), 'utf8'),
  ) as { entries: unknown[] }
).entries.length

const run = promisify(execFile)
const postgresUp = await serviceAvailable('postgres')

describe.skipIf(!postgresUp)('scripts/db-migrate.ts with DATABASE_URL', () => {
  let database: TemporaryDatabase
  beforeAll(async () => {
    database = await createTemporaryDatabase('db_migrate')
  })
  afterAll(async () => {
    await database?.drop()
  })

  // Two `npx tsx` start-ups, each allowed 60 s: the test's own bound must cover both.
  it('applies the history migrations once, skipping pgvector where it is missing', {
    timeout: 150_000,
  }, async () => {
    const env = { ...process.env, DATABASE_URL: database.url }
    for (let i = 0; i < 2; i++) {
      const { stdout } = await run('npx', ['tsx', 'scripts/db-migrate.ts'], {
        env,
        timeout: 60_000,
      })
      expect(stdout).toContain('via node-postgres (pgvector no)')
    }
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      const tables = await client.query(
        "select table_name from information_schema.tables where table_schema = 'public' order by 1",
      )
      expect(tables.rows.map((r) => r.table_name)).toEqual([
        'api_keys',
        'conversations',
        'messages',
        'runs',
        'users',
      ])
      const applied = await client.query(
        'select count(*)::int as n from drizzle.__drizzle_migrations',
      )
      expect(applied.rows[0].n).toBe(historyMigrationCount)
    } finally {
      await client.end()
    }
  })
})
