import { Redis } from '@upstash/redis'
import { Index } from '@upstash/vector'
import type { ApiKeyStore } from '../auth/api-key-store.ts'
import { createInMemoryApiKeyStore } from '../auth/in-memory-api-key-store.ts'
import { createPostgresApiKeyStore } from '../auth/postgres-api-key-store.ts'
import { parseStaticApiKeys, withStaticApiKeys } from '../auth/static-api-keys.ts'
import type { Config } from '../config.ts'
import type { ReadinessCheck } from '../health/readiness-check.ts'
import type { Embedder } from './embedder.ts'
import { createHashingEmbedder } from './hashing-embedder.ts'
import type { HistoryStore } from './history-store.ts'
import { createInMemoryHistoryStore } from './in-memory-history-store.ts'
import { createInMemoryKvStore } from './in-memory-kv-store.ts'
import { createInMemoryVectorStore } from './in-memory-vector-store.ts'
import type { KvStore } from './kv-store.ts'
import { createNeonHttpDatabase } from './neon-http-database.ts'
import { createPgVectorStore } from './pgvector-store.ts'
import { createPostgresHistoryStore } from './postgres-history-store.ts'
import type { SqlDatabase } from './sql-database.ts'
import type { StoreDescription } from './store-description.ts'
import { createUpstashRedisKvStore } from './upstash-redis-kv-store.ts'
import { createUpstashVectorStore } from './upstash-vector-store.ts'
import type { VectorStore } from './vector-store.ts'

/** The three memories, and how to describe and probe them. */
export interface Memory {
  kv: KvStore
  history: HistoryStore
  /** API keys live beside history: in its database, or in memory when history is. */
  apiKeys: ApiKeyStore
  vectors: VectorStore
  embedder: Embedder
  stores: StoreDescription[]
  readiness: ReadinessCheck[]
}

const lostOnRestart = 'kept in process memory; lost on restart'
const probeOwner = 'outpost-readiness-probe'

/**
 * Picks each store from the configuration: Upstash and Neon when their variables are set,
 * otherwise the database the runtime opened (PGlite under DATA_DIR), otherwise in-memory.
 */
export function createMemory(options: { config: Config; database?: SqlDatabase }): Memory {
  const { config, database } = options
  const embedder = createHashingEmbedder({ dimension: 384 })

  const kv =
    config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN
      ? createUpstashRedisKvStore({
          redis: new Redis({
            url: config.UPSTASH_REDIS_REST_URL,
            token: config.UPSTASH_REDIS_REST_TOKEN,
            automaticDeserialization: false,
            enableTelemetry: false,
          }),
          prefix: 'outpost:',
        })
      : createInMemoryKvStore({ maxEntries: 50_000 })
  const kvDescription: StoreDescription = config.UPSTASH_REDIS_REST_URL
    ? { concern: 'working memory', backend: 'upstash-redis', embedded: false }
    : { concern: 'working memory', backend: 'in-memory', embedded: true, note: lostOnRestart }

  const historyDb =
    database?.db ?? (config.DATABASE_URL ? createNeonHttpDatabase(config.DATABASE_URL) : undefined)
  const history = historyDb
    ? createPostgresHistoryStore({ db: historyDb })
    : createInMemoryHistoryStore()
  const storedKeys = historyDb
    ? createPostgresApiKeyStore({ db: historyDb })
    : createInMemoryApiKeyStore()
  const apiKeys = config.API_KEY_HASHES
    ? withStaticApiKeys(storedKeys, parseStaticApiKeys(config.API_KEY_HASHES))
    : storedKeys
  const historyDescription: StoreDescription = database
    ? {
        concern: 'conversation history',
        backend: database.backend,
        embedded: database.backend === 'pglite',
      }
    : config.DATABASE_URL
      ? { concern: 'conversation history', backend: 'neon-http', embedded: false }
      : {
          concern: 'conversation history',
          backend: 'in-memory',
          embedded: true,
          note: lostOnRestart,
        }

  let vectors: VectorStore
  let vectorDescription: StoreDescription
  if (config.UPSTASH_VECTOR_REST_URL && config.UPSTASH_VECTOR_REST_TOKEN) {
    const index = new Index({
      url: config.UPSTASH_VECTOR_REST_URL,
      token: config.UPSTASH_VECTOR_REST_TOKEN,
      enableTelemetry: false,
    })
    vectors = createUpstashVectorStore({ index, dimension: embedder.dimension })
    vectorDescription = { concern: 'semantic memory', backend: 'upstash-vector', embedded: false }
  } else if (database?.hasVector) {
    vectors = createPgVectorStore({ db: database.db, dimension: embedder.dimension })
    vectorDescription = {
      concern: 'semantic memory',
      backend: `${database.backend}-pgvector`,
      embedded: database.backend === 'pglite',
    }
  } else {
    vectors = createInMemoryVectorStore({ dimension: embedder.dimension })
    vectorDescription = {
      concern: 'semantic memory',
      backend: 'in-memory',
      embedded: true,
      note: lostOnRestart,
    }
  }

  const probe = Array.from({ length: embedder.dimension }, (_, i) => (i === 0 ? 1 : 0))
  const readiness: ReadinessCheck[] = [
    {
      name: 'working-memory',
      kind: 'store',
      backend: kvDescription.backend,
      check: async () => {
        await kv.get('readiness-probe')
      },
    },
    {
      name: 'conversation-history',
      kind: 'store',
      backend: historyDescription.backend,
      check: async () => {
        await history.getUser(probeOwner)
      },
    },
    {
      name: 'semantic-memory',
      kind: 'store',
      backend: vectorDescription.backend,
      check: async () => {
        await vectors.query(probe, { topK: 1, filter: { owner: probeOwner } })
      },
    },
  ]

  return {
    kv,
    history,
    apiKeys,
    vectors,
    embedder,
    stores: [kvDescription, historyDescription, vectorDescription],
    readiness,
  }
}
