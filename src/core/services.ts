import type { Config } from './config.ts'
import type { ReadinessCheck } from './health/readiness-check.ts'
import type { RuntimeName } from './runtime-name.ts'
import { createLogger, type Logger } from './telemetry/logger.ts'

/** Which implementation serves one concern, for the home page and `/readyz`. */
export interface StoreDescription {
  concern: 'working memory' | 'conversation history' | 'semantic memory'
  backend: string
  /** True for the no-configuration defaults (in-process memory, PGlite under DATA_DIR). */
  embedded: boolean
  /** A plain-words caveat, e.g. that in-memory data is lost on restart. */
  note?: string
}

/**
 * Everything a request handler may use, built once per configuration by the composition
 * root and shared by concurrent requests. Nothing here reads the environment.
 */
export interface Services {
  readonly config: Config
  readonly runtime: RuntimeName
  readonly logger: Logger
  readonly stores: readonly StoreDescription[]
  readonly readiness: readonly ReadinessCheck[]
}

/** Per-request view of the services: adds `defer`, the hand-off for background work. */
export interface RequestServices extends Services {
  /**
   * Keeps `promise` running after the response is sent (`waitUntil` on Workers, a tracked
   * promise set elsewhere that is drained on shutdown). Rejections are logged, never thrown.
   */
  defer(promise: Promise<unknown>): void
}

/** Runtime capabilities the entry file hands to the composition root. */
export interface PlatformCapabilities {
  runtime: RuntimeName
  /** Whether the runtime has a file system for embedded stores (not on Workers). */
  hasFileSystem: boolean
}

/** Builds the services for one configuration. */
export async function createServices(
  config: Config,
  platform: PlatformCapabilities,
): Promise<Services> {
  return {
    config,
    runtime: platform.runtime,
    logger: createLogger({ level: config.LOG_LEVEL }),
    stores: describeStores(config, platform),
    readiness: [],
  }
}

function describeStores(config: Config, platform: PlatformCapabilities): StoreDescription[] {
  const lostOnRestart = 'kept in process memory; lost on restart'
  return [
    config.UPSTASH_REDIS_REST_URL
      ? { concern: 'working memory', backend: 'upstash-redis', embedded: false }
      : { concern: 'working memory', backend: 'in-memory', embedded: true, note: lostOnRestart },
    config.DATABASE_URL
      ? { concern: 'conversation history', backend: 'neon', embedded: false }
      : platform.hasFileSystem
        ? { concern: 'conversation history', backend: 'pglite', embedded: true }
        : {
            concern: 'conversation history',
            backend: 'in-memory',
            embedded: true,
            note: lostOnRestart,
          },
    config.UPSTASH_VECTOR_REST_URL
      ? { concern: 'semantic memory', backend: 'upstash-vector', embedded: false }
      : platform.hasFileSystem
        ? { concern: 'semantic memory', backend: 'pglite-pgvector', embedded: true }
        : { concern: 'semantic memory', backend: 'in-memory', embedded: true, note: lostOnRestart },
  ]
}
