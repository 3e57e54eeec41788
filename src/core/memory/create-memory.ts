import { Redis } from '@upstash/redis'
import { Index } from '@upstash/vector'
import OpenAI from 'openai'
import { createCachedEmbedder } from './cached-embedder.ts'
import type { Embedder } from './embedder.ts'
import { createEmbeddingTextIndex } from './embedding-text-index.ts'
import { createHashingEmbedder } from './hashing-embedder.ts'
import type { HistoryStore } from './history-store.ts'
import { createInMemoryHistoryStore } from './in-memory-history-store.ts'
import { createInMemoryKvStore } from './in-memory-kv-store.ts'
import { createInMemoryVectorStore } from './in-memory-vector-store.ts'
import type { KvStore } from './kv-store.ts'
import { lazyStore } from './lazy-store.ts'
import { createNeonHttpDatabase } from './neon-http-database.ts'
import { createOpenAIEmbedder } from './openai-embedder.ts'
import { createPgVectorStore } from './pgvector-store.ts'
import { createPostgresHistoryStore, type PostgresDatabase } from './postgres-history-store.ts'
import type { DeferredSqlDatabase, SqlDatabase } from './sql-database.ts'
import type { StoreDescription } from './store-description.ts'
import type { TextIndex } from './text-index.ts'
import { createUpstashRedisKvStore } from './upstash-redis-kv-store.ts'
import { createUpstashTextIndex } from './upstash-text-index.ts'

/** The three memories, and how to describe them. */
export interface Memory {
  kv: KvStore
  /**
   * Where run logs live: `kv` itself when that is remote. When `kv` is this process's own, a
   * store of their own, bounded apart: every completion leaves a run log behind, and a burst
   * of them would otherwise evict, least recently used first, the rate-limit counters, spend
   * budgets, breaker states and sessions that share `kv`.
   */
  runKv: KvStore
  /** The Upstash Redis client behind `kv`, when it is Upstash (the limiter uses it directly). */
  redis?: Redis
  /** The prefix `kv` puts before its keys in Redis. */
  kvPrefix: string
  history: HistoryStore
  /** Semantic memory: store and recall by text. */
  semantic: TextIndex
  embedder: Embedder
  /** The SQL database history lives in, if any: API keys live beside it. */
  historyDatabase?: PostgresDatabase
  /**
   * Opens the SQL database history lives in, when it is deferred (the embedded one, opened on
   * first use); `historyDatabase` is absent then.
   */
  openHistoryDatabase?: () => Promise<PostgresDatabase>
  /** For the home page and `/readyz`: which backend holds each memory. */
  stores: StoreDescription[]
  /**
   * Whether conversations are kept warm in `kv` (`session:{id}`). Not when the KV store is this
   * process's own and history is a database other processes write too: their appends would
   * leave this process's sessions stale.
   */
  sessions: boolean
}

/**
 * The settings memory is chosen from (a part of `Config`, named here so that memory does not
 * depend on the configuration module).
 */
export interface MemorySettings {
  UPSTASH_REDIS_REST_URL?: string
  UPSTASH_REDIS_REST_TOKEN?: string
  DATABASE_URL?: string
  NEON_FETCH_ENDPOINT?: string
  UPSTASH_VECTOR_REST_URL?: string
  UPSTASH_VECTOR_REST_TOKEN?: string
  EMBEDDING_MODEL?: string
  OPENAI_API_KEY?: string
  OPENAI_BASE_URL?: string
}

const lostOnRestart = 'kept in process memory; lost on restart'
// The Upstash clients' default (5 retries, exponential backoff) stalls a request about 11 s
// when the service is down; two quick retries ride out a blip and then fail as a StoreError.
const upstashRetry = { retries: 2, backoff: (attempt: number) => 50 * 2 ** attempt }

/** The embedded working memory's bound by size: past it the least recently used keys go. */
const embeddedKvMaxBytes = 16 * 1024 * 1024

/**
 * The embedded run logs' bound by size (their JSON text). Run logs (every stateless
 * completion's too) live for their TTL, so by count alone a busy hour kept hundreds of MB; past
 * this the least recently used runs go first, while live runs, written last, stay. Some
 * thousands of recent runs: minutes of ordinary traffic. Under load the collector lets the heap
 * grow to about twice what is live, so each MiB here costs more than a MiB of RSS.
 */
const embeddedRunKvMaxBytes = 4 * 1024 * 1024

/**
 * Picks each store from the configuration: Upstash and Neon when their variables are set,
 * otherwise the database the runtime opened (PGlite under DATA_DIR), otherwise in-memory. A
 * deferred database is opened by the first call of a store that lives in it.
 */
export function createMemory(options: {
  config: MemorySettings
  database?: SqlDatabase | DeferredSqlDatabase
}): Memory {
  const { config, database } = options
  const deferred = database && 'open' in database ? database : undefined
  const opened = database && 'db' in database ? database : undefined
  // Over an opened database a store is made at once; over a deferred one, on its first call.
  const over = <T extends object>(make: (db: PostgresDatabase) => T): T =>
    deferred ? lazyStore(() => deferred.open().then(make)) : make(opened?.db as PostgresDatabase)
  const redis =
    config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN
      ? new Redis({
          url: config.UPSTASH_REDIS_REST_URL,
          token: config.UPSTASH_REDIS_REST_TOKEN,
          automaticDeserialization: false,
          enableTelemetry: false,
          retry: upstashRetry,
        })
      : undefined
  const kvPrefix = 'outpost:'
  const kv = redis
    ? createUpstashRedisKvStore({ redis, prefix: kvPrefix })
    : createInMemoryKvStore({ maxEntries: 50_000, maxBytes: embeddedKvMaxBytes })
  const kvDescription: StoreDescription = config.UPSTASH_REDIS_REST_URL
    ? { concern: 'working memory', backend: 'upstash-redis', embedded: false }
    : { concern: 'working memory', backend: 'in-memory', embedded: true, note: lostOnRestart }
  // The built-in hashing embedder is cheaper than a store round trip; a real model is not.
  const embedder = config.EMBEDDING_MODEL
    ? createCachedEmbedder({ embedder: createEmbedder(config), kv })
    : createEmbedder(config)

  const historyDb =
    opened?.db ??
    (config.DATABASE_URL
      ? createNeonHttpDatabase(config.DATABASE_URL, { fetchEndpoint: config.NEON_FETCH_ENDPOINT })
      : undefined)
  const history = deferred
    ? over((db) => createPostgresHistoryStore({ db }))
    : historyDb
      ? createPostgresHistoryStore({ db: historyDb })
      : createInMemoryHistoryStore()
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

  let semantic: TextIndex
  let vectorDescription: StoreDescription
  if (config.UPSTASH_VECTOR_REST_URL && config.UPSTASH_VECTOR_REST_TOKEN) {
    const index = new Index({
      url: config.UPSTASH_VECTOR_REST_URL,
      token: config.UPSTASH_VECTOR_REST_TOKEN,
      enableTelemetry: false,
      retry: upstashRetry,
    })
    semantic = createUpstashTextIndex({ index, embedder })
    vectorDescription = { concern: 'semantic memory', backend: 'upstash-vector', embedded: false }
  } else if (database?.hasVector) {
    semantic = createEmbeddingTextIndex({
      embedder,
      vectors: over((db) => createPgVectorStore({ db, dimension: embedder.dimension })),
    })
    vectorDescription = {
      concern: 'semantic memory',
      backend: `${database.backend}-pgvector`,
      embedded: database.backend === 'pglite',
    }
  } else {
    semantic = createEmbeddingTextIndex({
      embedder,
      vectors: createInMemoryVectorStore({ dimension: embedder.dimension }),
    })
    vectorDescription = {
      concern: 'semantic memory',
      backend: 'in-memory',
      embedded: true,
      note: lostOnRestart,
    }
  }

  return {
    kv,
    runKv: redis ? kv : createInMemoryKvStore({ maxBytes: embeddedRunKvMaxBytes }),
    ...(redis ? { redis } : {}),
    kvPrefix,
    history,
    semantic,
    embedder,
    ...(historyDb ? { historyDatabase: historyDb } : {}),
    ...(deferred ? { openHistoryDatabase: deferred.open } : {}),
    stores: [kvDescription, historyDescription, vectorDescription],
    sessions: redis !== undefined || !(historyDb || deferred) || database?.backend === 'pglite',
  }
}

/** The embedding model from EMBEDDING_MODEL, or the built-in hashing embedder. */
function createEmbedder(config: MemorySettings): Embedder {
  const dimension = 384
  if (!config.EMBEDDING_MODEL) return createHashingEmbedder({ dimension })
  const official =
    !config.OPENAI_BASE_URL || /^https:\/\/api\.openai\.com/.test(config.OPENAI_BASE_URL)
  return createOpenAIEmbedder({
    client: new OpenAI({
      apiKey: config.OPENAI_API_KEY ?? 'not-needed',
      baseURL: config.OPENAI_BASE_URL,
      maxRetries: 1,
    }),
    model: config.EMBEDDING_MODEL,
    dimension,
    // OpenAI's text-embedding-3 models shorten to any size on request; others cannot.
    requestDimension: official,
  })
}
