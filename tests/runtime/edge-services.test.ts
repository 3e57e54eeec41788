import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateDatabase } from '../../src/runtime/migrate-database.ts'
import { type NeonBridge, startNeonBridge } from '../support/neon-bridge.ts'
import { startRuntime, waitUntilReady } from '../support/runtime-process.ts'
import { postgresAddress, serviceAvailable } from '../support/services.ts'
import { createTemporaryDatabase, type TemporaryDatabase } from '../support/temporary-database.ts'
import {
  startUpstashRedisBridge,
  type UpstashRedisBridge,
} from '../support/upstash-redis-bridge.ts'
import {
  startUpstashVectorEmulator,
  type UpstashVectorEmulator,
} from '../support/upstash-vector-emulator.ts'

const ready = (await serviceAvailable('redis')) && (await serviceAvailable('postgres'))

interface ReadyBody {
  status: string
  checks: Array<{ name: string; backend: string; ok: boolean; error?: string }>
}

/**
 * The promise: set the Upstash and Neon variables and the same code switches to them.
 * workerd reaches PostgreSQL over Neon's HTTP path (through the local Neon bridge); Bun over
 * TCP; both reach Redis through the Upstash REST bridge and vectors through the emulator.
 */
describe.skipIf(!ready)('edge services switched on by configuration alone', () => {
  let database: TemporaryDatabase
  let neon: NeonBridge
  let redis: UpstashRedisBridge
  let vector: UpstashVectorEmulator

  beforeAll(async () => {
    database = await createTemporaryDatabase('edge')
    const pool = new pg.Pool({ connectionString: database.url, max: 1 })
    await migrateDatabase(drizzle({ client: pool }), { vector: false })
    await pool.end()
    neon = await startNeonBridge({ backend: { ...postgresAddress, database: database.name } })
    redis = await startUpstashRedisBridge({})
    vector = await startUpstashVectorEmulator({ dimension: 384 })
  }, 60_000)

  afterAll(async () => {
    await Promise.all([neon?.close(), redis?.close(), vector?.close()])
    await database?.drop()
  })

  const bindings = () => ({
    UPSTASH_REDIS_REST_URL: redis.url,
    UPSTASH_REDIS_REST_TOKEN: redis.token,
    UPSTASH_VECTOR_REST_URL: vector.url,
    UPSTASH_VECTOR_REST_TOKEN: vector.token,
    DATABASE_URL: database.url,
    NEON_FETCH_ENDPOINT: neon.fetchEndpoint,
  })

  for (const [runtime, historyBackend] of [
    ['workers', 'neon-http'],
    // The deploy bundle under workerd serve: its outbound fetches reach the stand-ins too.
    ['workerd-bundle', 'neon-http'],
    ['bun', 'postgres'],
  ] as const) {
    it(`${runtime}: every store answers from its edge backend`, async () => {
      const app = await startRuntime(runtime, bindings())
      try {
        await waitUntilReady(app)
        const response = await fetch(`${app.baseUrl}/readyz`)
        const body = (await response.json()) as ReadyBody
        expect(body.checks.map((c) => [c.name, c.backend, c.ok])).toEqual([
          ['working-memory', 'upstash-redis', true],
          ['conversation-history', historyBackend, true],
          ['semantic-memory', 'upstash-vector', true],
        ])
        expect(response.status).toBe(200)
        const home = await (await fetch(app.baseUrl, { headers: { Accept: 'text/html' } })).text()
        expect(home).toContain('upstash-redis')
        expect(home).not.toContain('embedded default')
      } finally {
        await app.stop()
      }
    }, 120_000)
  }

  it('reports an edge store that is down as 503 with the failing check', async () => {
    const app = await startRuntime('workers', {
      ...bindings(),
      UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9',
      READY_TIMEOUT_MS: '3000',
    })
    try {
      await waitUntilReady(app)
      const response = await fetch(`${app.baseUrl}/readyz`)
      expect(response.status).toBe(503)
      const body = (await response.json()) as ReadyBody
      expect(body.checks.find((c) => c.name === 'working-memory')).toMatchObject({
        ok: false,
        backend: 'upstash-redis',
      })
      expect(body.checks.find((c) => c.name === 'conversation-history')?.ok).toBe(true)
    } finally {
      await app.stop()
    }
  }, 120_000)
})
