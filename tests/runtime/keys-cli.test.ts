import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresApiKeyStore } from '../../src/core/auth/postgres-api-key-store.ts'
import { serviceAvailable } from '../support/services.ts'
import { createTemporaryDatabase, type TemporaryDatabase } from '../support/temporary-database.ts'

const run = promisify(execFile)
const postgresUp = await serviceAvailable('postgres')

describe.skipIf(!postgresUp)('scripts/keys.ts (npm run keys) with DATABASE_URL', () => {
  let database: TemporaryDatabase
  let pool: pg.Pool
  beforeAll(async () => {
    database = await createTemporaryDatabase('keys_cli')
    pool = new pg.Pool({ connectionString: database.url, max: 1 })
  })
  afterAll(async () => {
    await pool?.end()
    await database?.drop()
  })

  const keys = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/keys.ts', ...args], {
      env: { ...process.env, DATABASE_URL: database.url },
    })

  it('creates a key shown once and stored only as a hash, lists it and revokes it', async () => {
    const created = await keys('create', '--name', 'ci bot', '--user', 'robot')
    const secret = created.stdout.trim().split('\n').at(-1) as string
    expect(secret).toMatch(/^op_/)
    const id = /created key (\S+)/.exec(created.stdout)?.[1] as string

    const { rows } = await pool.query('select * from api_keys')
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain(secret.slice(10))
    const store = createPostgresApiKeyStore({ db: drizzle({ client: pool }) })
    expect(await store.verify(secret)).toMatchObject({ id, userId: 'robot', name: 'ci bot' })

    const listed = await keys('list', '--user', 'robot')
    expect(listed.stdout).toContain(id)
    expect(listed.stdout).toContain('live')
    expect(listed.stdout).not.toContain(secret)

    expect((await keys('revoke', id)).stdout).toContain(`revoked ${id}`)
    expect(await store.verify(secret)).toBeUndefined()
    expect((await keys('list', '--user', 'robot')).stdout).toMatch(/revoked \d{4}-/)
    const again = await keys('revoke', id).catch((error: { code: number; stderr: string }) => error)
    expect(again).toMatchObject({ code: 1 })
  }, 60_000)

  it('refuses a create without a name', async () => {
    const error = await keys('create').catch((e: { code: number; stderr: string }) => e)
    expect(error).toMatchObject({ code: 2, stderr: expect.stringContaining('--name') })
  })
})
