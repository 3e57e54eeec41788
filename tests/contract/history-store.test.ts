import { Pool as NeonPool, neon, neonConfig } from '@neondatabase/serverless'
import { drizzle as drizzleNeonHttp } from 'drizzle-orm/neon-http'
import { drizzle as drizzleNeonWs } from 'drizzle-orm/neon-serverless'
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe } from 'vitest'
import { createInMemoryHistoryStore } from '../../src/core/memory/in-memory-history-store.ts'
import {
  createPostgresHistoryStore,
  type PostgresDatabase,
} from '../../src/core/memory/postgres-history-store.ts'
import { migrateDatabase } from '../../src/runtime/migrate-database.ts'
import {
  type BrokenServer,
  closedPort,
  startGarbageHttpServer,
  startGarbageTcpServer,
} from '../support/broken-servers.ts'
import { useMigratedPglite } from '../support/migrated-pglite.ts'
import { configureNeonForBridge, type NeonBridge, startNeonBridge } from '../support/neon-bridge.ts'
import { postgresAddress, serviceAvailable } from '../support/services.ts'
import { createTemporaryDatabase, type TemporaryDatabase } from '../support/temporary-database.ts'
import { type HistoryStoreHarness, historyStoreContract } from './history-store.contract.ts'

const postgresUp = await serviceAvailable('postgres')

function harnessFor(
  db: () => PostgresDatabase,
  broken?: { unreachable: () => PostgresDatabase; garbage: () => PostgresDatabase },
): () => HistoryStoreHarness {
  return () => ({
    rejectsNul: true,
    store: (options) => createPostgresHistoryStore({ db: db(), ...options }),
    ...(broken && {
      unreachable: () => createPostgresHistoryStore({ db: broken.unreachable() }),
      garbage: () => createPostgresHistoryStore({ db: broken.garbage() }),
    }),
  })
}

describe('HistoryStore in memory', () => {
  historyStoreContract(() => ({ store: (options) => createInMemoryHistoryStore(options) }))
})

describe('HistoryStore on PGlite (drizzle pglite, in memory)', () => {
  const pglite = useMigratedPglite({ vector: false })
  historyStoreContract(harnessFor(pglite.db))
})

describe.skipIf(!postgresUp)('HistoryStore on PostgreSQL', () => {
  let garbageTcp: BrokenServer
  let garbageHttp: BrokenServer
  let downPort: number
  let bridge: NeonBridge
  const pools: { end(): Promise<void> }[] = []

  beforeAll(async () => {
    garbageTcp = await startGarbageTcpServer()
    garbageHttp = await startGarbageHttpServer()
    downPort = await closedPort()
    bridge = await startNeonBridge({ backend: postgresAddress })
    configureNeonForBridge(bridge)
    // The connection string's host picks the endpoint, so one process can reach a healthy,
    // a dead and a garbage-speaking "Neon".
    neonConfig.fetchEndpoint = (host) =>
      host === 'down.invalid'
        ? `http://127.0.0.1:${downPort}/sql`
        : host === 'garbage.invalid'
          ? `http://127.0.0.1:${garbageHttp.port}/sql`
          : bridge.fetchEndpoint
  })
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end().catch(() => {})))
    await bridge?.close()
    await garbageTcp?.close()
    await garbageHttp?.close()
  })

  // Each database is dropped (with force) when its block ends, before the pools are ended:
  // the server then closes their idle connections, which a pool reports as an 'error' event
  // that would be an uncaught exception without a listener. Expected at teardown, so ignored.
  function pooled<
    T extends { end(): Promise<void>; on(event: 'error', listener: () => void): unknown },
  >(pool: T): T {
    pool.on('error', () => {})
    pools.push(pool)
    return pool
  }

  describe('through node-postgres', () => {
    let database: TemporaryDatabase
    let db: PostgresDatabase
    beforeAll(async () => {
      database = await createTemporaryDatabase('history_pg')
      db = drizzleNodePg({
        client: pooled(new pg.Pool({ connectionString: database.url, max: 4 })),
      })
      await migrateDatabase(db)
    })
    afterAll(async () => {
      await database?.drop()
    })
    const broken = (port: number) =>
      drizzleNodePg({
        client: pooled(
          new pg.Pool({ host: '127.0.0.1', port, user: 'postgres', connectionTimeoutMillis: 3000 }),
        ),
      })
    historyStoreContract(
      harnessFor(() => db, {
        unreachable: () => broken(downPort),
        garbage: () => broken(garbageTcp.port),
      }),
    )
  })

  describe('through Neon HTTP (neon-http -> bridge /sql)', () => {
    let database: TemporaryDatabase
    let db: PostgresDatabase
    beforeAll(async () => {
      database = await createTemporaryDatabase('history_neon_http')
      db = drizzleNeonHttp({ client: neon(database.url) })
      await migrateDatabase(db)
    })
    afterAll(async () => {
      await database?.drop()
    })
    historyStoreContract(
      harnessFor(() => db, {
        unreachable: () => drizzleNeonHttp({ client: neon('postgresql://u:p@down.invalid/db') }),
        garbage: () => drizzleNeonHttp({ client: neon('postgresql://u:p@garbage.invalid/db') }),
      }),
    )
  })

  describe('through the Neon WebSocket Pool (neon-serverless -> bridge /v1)', () => {
    let database: TemporaryDatabase
    let db: PostgresDatabase
    beforeAll(async () => {
      database = await createTemporaryDatabase('history_neon_ws')
      db = drizzleNeonWs({
        client: pooled(new NeonPool({ connectionString: database.url, max: 4 })),
      })
      await migrateDatabase(db)
    })
    afterAll(async () => {
      await database?.drop()
    })
    const broken = (port: number) =>
      drizzleNeonWs({
        client: pooled(
          new NeonPool({
            connectionString: `postgresql://postgres:pw@127.0.0.1:${port}/test`,
            connectionTimeoutMillis: 3000,
          }),
        ),
      })
    historyStoreContract(
      harnessFor(() => db, {
        unreachable: () => broken(downPort),
        garbage: () => broken(garbageTcp.port),
      }),
    )
  })
})
