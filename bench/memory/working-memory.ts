/**
 * A warm turn's history read, with and without working memory: `loadSession` (the
 * conversation and its last 20 messages from the KV store's `session:{id}`) against what a turn
 * read before, `getConversation` + `listMessages` from history. Same run, same conversation
 * (40 messages). PGlite with the in-memory KV store (the local default), then, when the
 * machine's PostgreSQL and Redis answer, Neon HTTP with Upstash Redis through the local
 * bridges (the edge shape). `npx tsx bench/memory/working-memory.ts [iterations]` (default 200).
 */
import { randomUUID } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { neon } from '@neondatabase/serverless'
import { Redis } from '@upstash/redis'
import { drizzle as drizzleNeonHttp } from 'drizzle-orm/neon-http'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import type { HistoryStore } from '../../src/core/memory/history-store.ts'
import { createInMemoryKvStore } from '../../src/core/memory/in-memory-kv-store.ts'
import type { KvStore } from '../../src/core/memory/kv-store.ts'
import {
  createPostgresHistoryStore,
  type PostgresDatabase,
} from '../../src/core/memory/postgres-history-store.ts'
import { createUpstashRedisKvStore } from '../../src/core/memory/upstash-redis-kv-store.ts'
import { loadSession, withWorkingMemory } from '../../src/core/memory/working-memory.ts'
import { migrateDatabase } from '../../src/runtime/migrate-database.ts'
import { configureNeonForBridge, startNeonBridge } from '../../tests/support/neon-bridge.ts'
import { postgresAddress, serviceAvailable } from '../../tests/support/services.ts'
import { createTemporaryDatabase } from '../../tests/support/temporary-database.ts'
import { startUpstashRedisBridge } from '../../tests/support/upstash-redis-bridge.ts'
import { type LatencySummary, measure, printTable } from '../stores/bench-table.ts'

const iterations = Number(process.argv[2] ?? 200)

async function bench(db: PostgresDatabase, kv: KvStore) {
  const plain = createPostgresHistoryStore({ db })
  const history: HistoryStore = withWorkingMemory(plain, kv)
  const ownerId = (await history.upsertUser({ id: `bench-${randomUUID()}` })).id
  const { id } = await history.createConversation(ownerId)
  for (let i = 0; i < 20; i++) {
    await history.appendMessages(ownerId, id, [
      {
        role: 'user',
        content: [{ type: 'text', text: `Question ${i}: about forty words `.repeat(4) }],
      },
      { role: 'assistant', content: [{ type: 'text', text: `Answer ${i}: `.repeat(30) }] },
    ])
  }
  const cold = await measure(iterations, async () => {
    await plain.getConversation(ownerId, id)
    await plain.listMessages(ownerId, id, { order: 'newest-first', limit: 20 })
  })
  await loadSession({ history, kv }, ownerId, id)
  const warm = await measure(iterations, () => loadSession({ history, kv }, ownerId, id))
  return { cold, warm }
}

const results: { name: string; cold: LatencySummary; warm: LatencySummary }[] = []

const client = await PGlite.create()
const pglite = drizzlePglite({ client })
await migrateDatabase(pglite, { vector: false })
results.push({
  name: 'PGlite + in-memory KV',
  ...(await bench(pglite, createInMemoryKvStore({ maxEntries: 1000 }))),
})
await client.close()

if ((await serviceAvailable('postgres')) && (await serviceAvailable('redis'))) {
  const database = await createTemporaryDatabase('bench_working_memory')
  const neonBridge = await startNeonBridge({ backend: postgresAddress })
  configureNeonForBridge(neonBridge)
  const redisBridge = await startUpstashRedisBridge()
  try {
    const http = drizzleNeonHttp({ client: neon(database.url) })
    await migrateDatabase(http, { vector: false })
    const redis = new Redis({
      url: redisBridge.url,
      token: redisBridge.token,
      automaticDeserialization: false,
      retry: false,
      enableTelemetry: false,
    })
    const kv = createUpstashRedisKvStore({ redis, prefix: `bench:wm:${randomUUID()}:` })
    results.push({ name: 'Neon HTTP + Upstash Redis (bridges)', ...(await bench(http, kv)) })
  } finally {
    await redisBridge.close()
    await neonBridge.close()
    await database.drop()
  }
}

console.log(`\nA warm turn's history read, ${iterations} sequential reads each (ms)\n`)
printTable(
  ['setup', 'history p50', 'working memory p50', 'history p95', 'working memory p95', 'ratio p50'],
  results.map((r) => [
    r.name,
    r.cold.p50,
    r.warm.p50,
    r.cold.p95,
    r.warm.p95,
    `${(r.cold.p50 / r.warm.p50).toFixed(1)}x`,
  ]),
)
