import { calculatorTool } from '../tools/calculator.ts'
import { currentTimeTool } from '../tools/current-time.ts'
import { createToolRegistry, type ToolRegistry } from '../tools/registry.ts'
import type { TurnDeps } from './agent/run-turn.ts'
import type { Config } from './config.ts'
import type { ReadinessCheck } from './health/readiness-check.ts'
import { createMemory, type Memory } from './memory/create-memory.ts'
import type { SqlDatabase } from './memory/sql-database.ts'
import type { StoreDescription } from './memory/store-description.ts'
import { createModels, type Models } from './models/create-models.ts'
import type { ProviderName } from './models/model-catalog.ts'
import { createRunLog, type RunLog } from './runs/run-log.ts'
import type { RuntimeName } from './runtime-name.ts'
import { createLogger, type Logger } from './telemetry/logger.ts'

export type { StoreDescription }

/**
 * Everything a request handler may use, built once per configuration by the composition
 * root and shared by concurrent requests. Nothing here reads the environment.
 */
export interface Services {
  readonly config: Config
  readonly runtime: RuntimeName
  readonly logger: Logger
  readonly memory: Memory
  readonly models: Models
  readonly tools: ToolRegistry
  readonly runLog: RunLog
  /** What `runTurn` needs, assembled from the above. */
  readonly turn: TurnDeps
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
  /**
   * The migrated SQL database for this configuration (PGlite under DATA_DIR, or DATABASE_URL),
   * opened once by the runtime entry. Absent on Workers.
   */
  openDatabase?: (config: Config) => Promise<SqlDatabase | undefined>
  /**
   * The secret that signs guest cookies when SESSION_SECRET is unset: generated once and kept
   * under DATA_DIR by the runtime entry. Absent on Workers (no disk).
   */
  sessionSecret?: (config: Config) => Promise<string>
}

/** Builds the services for one configuration. */
export async function createServices(
  config: Config,
  platform: PlatformCapabilities,
): Promise<Services> {
  const database = await platform.openDatabase?.(config)
  const memory = createMemory({ config, database })
  const logger = createLogger({ level: config.LOG_LEVEL })
  const models = createModels({
    anthropicApiKey: config.ANTHROPIC_API_KEY,
    anthropicBaseUrl: config.ANTHROPIC_BASE_URL,
    openaiApiKey: config.OPENAI_API_KEY,
    openaiBaseUrl: config.OPENAI_BASE_URL,
    localModel: config.LOCAL_MODEL,
    overrides: config.MODEL_TIERS,
    classifyWhenUnsure: config.ROUTER_CLASSIFIER,
    kv: memory.kv,
    demo: { wordDelayMs: config.DEMO_WORD_DELAY_MS },
    logger,
  })
  const tools = createToolRegistry({
    tools: [currentTimeTool, calculatorTool],
    defaultTimeoutMs: config.TOOL_TIMEOUT_MS,
  })
  const runLog = createRunLog({ kv: memory.kv, ttlMs: config.RUN_TTL_SECONDS * 1000 })
  const providers = Object.keys(models.catalog.connections).filter(
    (name) => name !== 'demo',
  ) as ProviderName[]
  const providerChecks: ReadinessCheck[] = providers.map((provider) => ({
    name: `provider:${provider}`,
    kind: 'provider',
    backend: provider,
    check: (signal) => models.models.ping(provider, signal),
  }))

  return {
    config,
    runtime: platform.runtime,
    logger,
    memory,
    models,
    tools,
    runLog,
    turn: {
      router: models.router,
      models: models.models,
      breaker: models.breaker,
      tools,
      maxSteps: config.AGENT_MAX_STEPS,
    },
    stores: memory.stores,
    readiness: [...memory.readiness, ...providerChecks],
  }
}
