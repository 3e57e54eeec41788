import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type NeonBridge, startNeonBridge } from '../support/neon-bridge.ts'
import { postgresAddress, serviceAvailable } from '../support/services.ts'
import { createTemporaryDatabase, type TemporaryDatabase } from '../support/temporary-database.ts'
import { deployBundle } from '../support/workerd-bundle.ts'

const root = join(import.meta.dirname, '..', '..')
const postgresUp = await serviceAvailable('postgres')
const historyMigrations = (
  JSON.parse(readFileSync(join(root, 'drizzle/history/meta/_journal.json'), 'utf8')) as {
    entries: unknown[]
  }
).entries.length

/** `npm run deploy -- ...args` with exactly `vars` as settings; resolves with its outcome. */
async function deploy(args: string[], vars: Record<string, string>) {
  const env: Record<string, string> = {}
  // Nothing from the test's own environment may leak in as a setting.
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(UPSTASH|DATABASE|NEON|SESSION|OPENAI|ANTHROPIC)/.test(name)) {
      env[name] = value
    }
  }
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/deploy.ts', ...args],
      { cwd: root, env: { ...env, ...vars, WRANGLER_SEND_METRICS: 'false' }, timeout: 120_000 },
    )
    return { code: 0, output: stdout + stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, output: failed.stdout + failed.stderr }
  }
}

describe.skipIf(!postgresUp)('npm run deploy', () => {
  let database: TemporaryDatabase
  let neon: NeonBridge
  let vars: Record<string, string>
  const outdir = mkdtempSync(join(tmpdir(), 'outpost-deploy-test-'))

  beforeAll(async () => {
    database = await createTemporaryDatabase('deploy')
    neon = await startNeonBridge({ backend: { ...postgresAddress, database: database.name } })
    vars = {
      UPSTASH_REDIS_REST_URL: 'https://eu1-example.upstash.io',
      UPSTASH_REDIS_REST_TOKEN: 'redis-token-never-printed',
      UPSTASH_VECTOR_REST_URL: 'https://eu1-example-vector.upstash.io',
      UPSTASH_VECTOR_REST_TOKEN: 'vector-token-never-printed',
      DATABASE_URL: database.url,
      NEON_FETCH_ENDPOINT: neon.fetchEndpoint,
      SESSION_SECRET: 'session-secret-never-printed-0123456789',
    }
  })

  afterAll(async () => {
    await neon?.close()
    await database?.drop()
    rmSync(outdir, { recursive: true, force: true })
  })

  it('applies the history migrations to Neon over HTTP, idempotently', async () => {
    for (let i = 0; i < 2; i++) {
      const result = await deploy(['--migrate-only'], vars)
      expect(result.output).toContain('every store is durable and shared')
      expect(result.output).toContain(`drizzle/history applied to 127.0.0.1/${database.name}`)
      expect(result.code, result.output).toBe(0)
      expect(result.output).not.toContain('never-printed')
    }
    // Every statement went through the Neon /sql bridge: the Worker's own path.
    expect(neon.sqlRequests.count).toBeGreaterThan(historyMigrations)
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
      expect(applied.rows[0].n).toBe(historyMigrations)
    } finally {
      await client.end()
    }
  }, 120_000)

  it('refuses state that would live only in an isolate, unless told to accept it', async () => {
    const { DATABASE_URL, SESSION_SECRET, ...partial } = vars
    const refused = await deploy(['--dry-run', '--outdir', outdir], partial)
    expect(refused.code).toBe(2)
    expect(refused.output).toMatch(/DATABASE_URL not set: per isolate only/)
    expect(refused.output).toMatch(/SESSION_SECRET not set: per isolate only/)
    expect(refused.output).toContain('--accept-ephemeral')
    expect(existsSync(join(outdir, 'workers.js'))).toBe(false)

    const invalid = await deploy(['--dry-run', '--accept-ephemeral'], {
      ...vars,
      DATABASE_URL: 'mysql://app:never-printed@db.example/app',
    })
    expect(invalid.code).toBe(1)
    expect(invalid.output).toContain('DATABASE_URL: a postgres://')
    expect(invalid.output).not.toContain('never-printed')
  }, 120_000)

  it('--dry-run builds the bundle a deploy uploads, with the secrets and vars it would send', async () => {
    const result = await deploy(['--dry-run', '--outdir', outdir], vars)
    expect(result.code, result.output).toBe(0)
    expect(result.output).toContain('would apply drizzle/history')
    expect(result.output).toMatch(/\+ 4 secrets, 3 vars/)
    expect(result.output).toContain('--dry-run: exiting now.')
    expect(result.output).toMatch(/Bundle .*workers\.js: [\d.]+ KiB minified, [\d.]+ KiB gzip/)
    expect(result.output).not.toContain('never-printed')
    // Byte for byte the bundle the workerd-bundle runtime suite serves (same build command).
    const tested = await deployBundle()
    const code = readFileSync(tested.path)
    expect(readFileSync(join(outdir, 'workers.js')).equals(code)).toBe(true)
    // Only the Anthropic resources Outpost calls (see anthropic-client.ts): the full client
    // brought every other one in, 304 KB of the bundle (organizations, files, skills, ...).
    for (const unused of ['/v1/organizations', '/v1/skills', '/v1/files']) {
      expect(code.includes(unused), unused).toBe(false)
    }
    console.log(
      `[deploy] bundle ${(tested.bytes / 1024).toFixed(1)} KiB minified, ${(tested.gzipBytes / 1024).toFixed(1)} KiB gzip`,
    )
  }, 180_000)
})
