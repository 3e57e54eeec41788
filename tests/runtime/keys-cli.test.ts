import { execFile, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresApiKeyStore } from '../../src/core/auth/postgres-api-key-store.ts'
import { type RuntimeProcess, startRuntime, waitUntilReady } from '../support/runtime-process.ts'
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

    const { rows } = await pool.query("select * from api_keys where user_id = 'robot'")
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

  it('gives a key its own limits at creation and changes them with update', async () => {
    const created = await keys(
      'create',
      '--name',
      'limited',
      '--user',
      'limited-user',
      '--rpm',
      '60',
      '--tpm',
      '100000',
      '--usd-per-day',
      '5',
    )
    const secret = created.stdout.trim().split('\n').at(-1) as string
    const id = /created key (\S+)/.exec(created.stdout)?.[1] as string
    expect(created.stdout).toContain('limits: rpm=60 tpm=100000 usdPerDay=5')
    const store = createPostgresApiKeyStore({ db: drizzle({ client: pool }) })
    expect((await store.verify(secret))?.limits).toEqual({ rpm: 60, tpm: 100_000, usdPerDay: 5 })

    const updated = await keys(
      'update',
      id,
      '--user',
      'limited-user',
      '--rpm',
      '5',
      '--tpm',
      'none',
    )
    expect(updated.stdout).toContain('rpm=5 usdPerDay=5')
    expect((await store.verify(secret))?.limits).toEqual({ rpm: 5, usdPerDay: 5 })
    expect((await keys('list', '--user', 'limited-user')).stdout).toContain(
      'limits rpm=5 usdPerDay=5',
    )

    const bad = await keys('update', id, '--user', 'limited-user', '--rpm', '1.5').catch(
      (e: { code: number; stderr: string }) => e,
    )
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('--rpm') })
  }, 60_000)

  it('refuses a create without a name', async () => {
    const error = await keys('create').catch((e: { code: number; stderr: string }) => e)
    expect(error).toMatchObject({ code: 2, stderr: expect.stringContaining('--name') })
  })
})

describe('scripts/keys.ts on the embedded database while the server runs', () => {
  let dataDir: string
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'outpost-keys-embedded-'))
  })
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  const keys = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/keys.ts', ...args], {
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir },
    })

  it('refuses with a clear message while the server has it open, works once it stops', async () => {
    const server = await startRuntime('node', { DATA_DIR: dataDir })
    try {
      await waitUntilReady(server)
      // `listening` comes once the database is open (and locked).
      await waitForLog(server, '"listening"')
      const refused = await keys('create', '--name', 'bot').catch(
        (error: { code: number; stderr: string }) => error,
      )
      expect(refused).toMatchObject({ code: 1 })
      expect((refused as { stderr: string }).stderr).toContain(
        `is open in another process (pid ${server.child.pid})`,
      )
      expect((refused as { stderr: string }).stderr).toContain('stop the server')

      // A second server on the same folder says the same and exits 1.
      const second = await startRuntime('node', { DATA_DIR: dataDir })
      expect(await second.exited).toBe(1)
      expect(second.log()).toContain('is open in another process')
    } finally {
      await server.stop()
    }
    const created = await keys('create', '--name', 'bot')
    expect(created.stdout.trim().split('\n').at(-1)).toMatch(/^op_/)
  }, 120_000)

  it('takes over a lock left by a process that no longer runs', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid
    writeFileSync(join(dataDir, 'pglite.lock'), String(gone))
    const listed = await keys('list')
    expect(listed.stdout).toContain('live')
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false)
  }, 60_000)
})

async function waitForLog(proc: RuntimeProcess, text: string, timeoutMs = 90_000) {
  const started = Date.now()
  while (!proc.log().includes(text)) {
    if (Date.now() - started > timeoutMs) throw new Error(`no ${text} in:\n${proc.log()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
