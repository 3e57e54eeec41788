/**
 * History store latency: append one message, and read a page of 20 (newest first) from a
 * conversation of 1000 messages, on PGlite (in process) against the machine's PostgreSQL
 * through the Neon driver (HTTP `/sql` and WebSocket Pool, via the local bridge) and, as the
 * baseline for what the bridge adds, node-postgres straight to PostgreSQL.
 * `npx tsx bench/stores/history.ts [iterations]` (default 200).
 */
import { PGlite } from '@electric-sql/pglite'
import { Pool as NeonPool, neon } from '@neondatabase/serverless'
import { drizzle as drizzleNeonHttp } from 'drizzle-orm/neon-http'
import { drizzle as drizzleNeonWs } from 'drizzle-orm/neon-serverless'
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import pg from 'pg'
import {
  createPostgresHistoryStore,
  type PostgresDatabase,
} from '../../src/core/memory/postgres-history-store.ts'
import { migrateDatabase } from '../../src/runtime/migrate-database.ts'
import { configureNeonForBridge, startNeonBridge } from '../../tests/support/neon-bridge.ts'
import { postgresAddress, serviceAvailable } from '../../tests/support/services.ts'
import { createTemporaryDatabase } from '../../tests/support/temporary-database.ts'
import { type LatencySummary, measure, printTable } from './bench-table.ts'

const iterations = Number(process.argv[2] ?? 200)
const history = 1000

async function bench(db: PostgresDatabase) {
  const store = createPostgresHistoryStore({ db })
  const owner = (await store.upsertUser({ id: `bench-${Date.now()}` })).id
  const conversation = await store.createConversation(owner)
  const message = { role: 'user' as const, content: [{ type: 'text', text: 'hello '.repeat(40) }] }
  for (let i = 0; i < history; i += 100) {
    await store.appendMessages(owner, conversation.id, Array(100).fill(message))
  }
  // Warm up connections and plans before measuring.
  for (let i = 0; i < 10; i++) await store.listMessages(owner, conversation.id, { limit: 20 })
  const append = await measure(iterations, () =>
    store.appendMessages(owner, conversation.id, [message]),
  )
  const page = await measure(iterations, () =>
    store.listMessages(owner, conversation.id, { limit: 20, order: 'newest-first' }),
  )
  return { append, page }
}

const results: { name: string; append: LatencySummary; page: LatencySummary }[] = []

const client = await PGlite.create()
const pglite = drizzlePglite({ client })
await migrateDatabase(pglite, { vector: false })
results.push({ name: 'PGlite (in process)', ...(await bench(pglite)) })
await client.close()

if (await serviceAvailable('postgres')) {
  const database = await createTemporaryDatabase('bench_history')
  const bridge = await startNeonBridge({ backend: postgresAddress })
  configureNeonForBridge(bridge)
  const pool = new pg.Pool({ connectionString: database.url, max: 4 })
  const neonPool = new NeonPool({ connectionString: database.url, max: 4 })
  try {
    const direct = drizzleNodePg({ client: pool })
    await migrateDatabase(direct)
    results.push({ name: 'PostgreSQL via node-postgres', ...(await bench(direct)) })
    const http = drizzleNeonHttp({ client: neon(database.url) })
    results.push({ name: 'PostgreSQL via Neon HTTP', ...(await bench(http)) })
    const ws = drizzleNeonWs({ client: neonPool })
    results.push({ name: 'PostgreSQL via Neon WebSocket', ...(await bench(ws)) })
  } finally {
    await neonPool.end()
    await pool.end()
    await bridge.close()
    await database.drop()
  }
}

const base = results[0]!
console.log(`\nHistory store, ${iterations} sequential operations each (ms)\n`)
printTable(
  [
    'backend',
    'append p50',
    'append p95',
    'append ops/s',
    'page p50',
    'page p95',
    'page ops/s',
    'page vs PGlite',
  ],
  results.map((r) => [
    r.name,
    r.append.p50,
    r.append.p95,
    r.append.opsPerSecond,
    r.page.p50,
    r.page.p95,
    r.page.opsPerSecond,
    `${(r.page.mean / base.page.mean).toFixed(2)}x`,
  ]),
)
