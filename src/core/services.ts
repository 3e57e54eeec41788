import type { TurnDeps } from './agent/run-turn.ts'
import type { ApiKeyStore } from './auth/api-key-store.ts'
import { createApiKeyStore } from './auth/create-api-key-store.ts'
import { createModelCallCache, type ModelCallCache } from './cache/model-call-cache.ts'
import type { Config } from './config.ts'
import { createLimits } from './create-limits.ts'
import { createTools } from './create-tools.ts'
import type { GateObserver } from './gate/gate-observer.ts'
import type { GateStage } from './gate/gate-stage.ts'
import { createInspectStage } from './gate/inspect-stage.ts'
import { createInjectionGuard } from './guards/injection/injection-guard.ts'
import { injectionPolicyFrom } from './guards/injection/injection-policy.ts'
import type { ReadinessCheck } from './health/readiness-check.ts'
import { storeReadiness } from './health/store-readiness.ts'
import type { LimitPolicy } from './limits/limit-policy.ts'
import type { Limiter } from './limits/limiter.ts'
import type { McpToolSource } from './mcp/mcp-tool-source.ts'
import { createMemory, type Memory } from './memory/create-memory.ts'
import type { StoreDescription } from './memory/store-description.ts'
import { withWorkingMemory } from './memory/working-memory.ts'
import { createModels, type Models } from './models/create-models.ts'
import type { ProviderName } from './models/model-catalog.ts'
import { observeGate } from './observe/observe-gate.ts'
import { observeInjectionGuard } from './observe/observe-injection-guard.ts'
import { observeModelProvider } from './observe/observe-model-provider.ts'
import { observeRunLog } from './observe/observe-run-log.ts'
import { observeStore } from './observe/observe-store.ts'
import { observeToolRegistry } from './observe/observe-tool-registry.ts'
import type { PlatformCapabilities } from './platform-capabilities.ts'
import { databaseFor } from './platform-database.ts'
import { createLiveRuns, type LiveRuns } from './runs/live-runs.ts'
import { createRunApprovals, type RunApprovals } from './runs/run-approvals.ts'
import { createRunLog, type RunLog } from './runs/run-log.ts'
import type { RuntimeName } from './runtime-name.ts'
import { createLogger, type Logger } from './telemetry/logger.ts'
import { createTelemetry, parseOtlpHeaders, type Telemetry } from './telemetry/telemetry.ts'
import { tracePropagatingFetch, traceProviderFetch } from './telemetry/trace-propagating-fetch.ts'
import type { ToolRegistry } from './tools/registry.ts'
import type { Toolbox } from './tools/toolbox.ts'

export type { StoreDescription }

/**
 * Everything a request handler may use, built once per configuration by the composition
 * root and shared by concurrent requests. Nothing here reads the environment.
 */
export interface Services {
  readonly config: Config
  readonly runtime: RuntimeName
  /** Text streams write straight to the socket (see `PlatformCapabilities.directStreams`). */
  readonly directStreams: boolean
  readonly logger: Logger
  /** Spans (when a collector is configured) and the metrics behind `/metrics`. */
  readonly telemetry: Telemetry
  readonly memory: Memory
  /** API keys of programs (beside history, plus any given by configuration). */
  readonly apiKeys: ApiKeyStore
  readonly models: Models
  /** The built-in tools (what a turn has without a principal, e.g. in tests). */
  readonly tools: ToolRegistry
  /** Each turn's tools: the built-ins plus the remote MCP servers', acting for its principal. */
  readonly toolbox: Toolbox
  /** The configured remote MCP servers (`MCP_SERVERS`). */
  readonly mcpServers: readonly McpToolSource[]
  readonly runLog: RunLog
  /** Which run is live in each conversation. */
  readonly liveRuns: LiveRuns
  /** Tool calls waiting for the user's approval, and the decisions that answer them. */
  readonly approvals: RunApprovals
  /** The gate's stages, in order: every request for model work passes them (see `startModelWork`). */
  readonly stages: readonly GateStage[]
  /** Counters behind the limits (shared with the address limit and `/api/usage`). */
  readonly limiter: Limiter
  /** The configured limits, before a key's own overrides. */
  readonly limits: LimitPolicy
  /** What `runTurn` needs, assembled from the above. */
  readonly turn: TurnDeps
  /** The response cache and request coalescing at the model call (bound per request by the gate). */
  readonly responseCache?: ModelCallCache
  /** Telemetry around every gated request: its span, and refusals by limit. */
  readonly observeGate: GateObserver
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

/** What the composition root adds to a configuration; tests and embedders pass stages here. */
export interface ServicesOptions {
  /** Gate stages, in order, after the ones the configuration composes (`admit`). */
  stages?: readonly GateStage[]
  /** Replaces the limiter the configuration picks (tests: a store that fails). */
  limiter?: Limiter
  /** false turns the response cache and request coalescing off (benchmarks' baseline). */
  responseCache?: boolean
}

/** Builds the services for one configuration. */
export async function createServices(
  config: Config,
  platform: PlatformCapabilities,
  options: ServicesOptions = {},
): Promise<Services> {
  const database = await databaseFor(config, platform)
  const plainMemory = createMemory({ config, database })
  const telemetry = await createTelemetry({
    runtime: platform.runtime,
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    headers: parseOtlpHeaders(config.OTEL_EXPORTER_OTLP_HEADERS),
    serviceName: config.OTEL_SERVICE_NAME,
    // Each Workers scrape reaches a random isolate: they add their numbers up in the KV store.
    sharedMetrics:
      platform.runtime === 'workers'
        ? { kv: plainMemory.kv, flushIntervalMs: config.METRICS_FLUSH_SECONDS * 1000 }
        : undefined,
  })
  const tracing = telemetry.tracing
  if (tracing) platform.onShutdown?.(() => tracing.flush())
  // Telemetry attaches here, around the seams, so no business code carries it.
  const tracer = tracing?.tracer
  // Store calls are spans when they leave the process (Upstash, Neon, PostgreSQL, PGlite's
  // file); an in-memory map lookup takes microseconds, and a span for it would cost more.
  const storeTracer = (concern: string) =>
    plainMemory.stores.find((s) => s.concern === concern)?.backend === 'in-memory'
      ? undefined
      : tracer
  const kv = observeStore(plainMemory.kv, 'kv', storeTracer('working memory'))
  const history = observeStore(plainMemory.history, 'history', storeTracer('conversation history'))
  const memory = {
    ...plainMemory,
    kv,
    // Working memory sits in front of history: every change to a conversation passes it.
    history: plainMemory.sessions ? withWorkingMemory(history, kv) : history,
    semantic: observeStore(plainMemory.semantic, 'semantic', storeTracer('semantic memory')),
  }
  const logger = createLogger({ level: config.LOG_LEVEL })
  const modelParts = createModels({
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
    // Provider requests carry the active span's traceparent.
    fetch: tracing ? tracePropagatingFetch(tracing) : undefined,
    providerFetch:
      tracing && platform.providerFetch
        ? traceProviderFetch(tracing, platform.providerFetch)
        : platform.providerFetch,
  })
  const models: Models = {
    ...modelParts,
    models: observeModelProvider(modelParts.models, {
      metrics: telemetry.metrics,
      tracer,
      toolCallParents: telemetry.toolCallParents,
      catalog: modelParts.catalog,
    }),
  }
  const { tools, toolbox, mcpServers } = createTools({
    config,
    kv: plainMemory.kv,
    logger,
    observe: (registry) =>
      observeToolRegistry(registry, {
        metrics: telemetry.metrics,
        tracer,
        toolCallParents: telemetry.toolCallParents,
      }),
    onShutdown: platform.onShutdown,
  })
  // The run log polls its store while tailing: it gets the plain store, not a span per poll.
  const runLog = observeRunLog(
    createRunLog({
      kv: plainMemory.runKv,
      ttlMs: config.RUN_TTL_SECONDS * 1000,
      // Each write is a network round trip only when the store is remote.
      appendIntervalMs: config.UPSTASH_REDIS_REST_URL ? config.RUN_APPEND_INTERVAL_MS : 0,
    }),
    telemetry.metrics,
  )
  const { limiter, limits, admit } = createLimits({
    config,
    memory: plainMemory,
    catalog: models.catalog,
    logger,
    limiter: options.limiter,
  })
  const guard = observeInjectionGuard(
    createInjectionGuard({ policy: injectionPolicyFrom(config) }),
    telemetry.metrics,
  )
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
    directStreams: platform.directStreams === true,
    logger,
    telemetry,
    memory,
    apiKeys: createApiKeyStore({
      database: memory.historyDatabase,
      openDatabase: memory.openHistoryDatabase,
      staticHashes: config.API_KEY_HASHES,
    }),
    models,
    tools,
    toolbox,
    mcpServers,
    runLog,
    liveRuns: createLiveRuns({ kv: memory.kv, ttlMs: config.RUN_TTL_SECONDS * 1000 }),
    // Like the run log, on the plain store: a waiting run polls it.
    approvals: createRunApprovals({
      kv: plainMemory.kv,
      timeoutMs: config.APPROVAL_TIMEOUT_SECONDS * 1000,
      ttlMs: config.RUN_TTL_SECONDS * 1000,
      cancelRequested: (runId) => runLog.cancelRequested(runId),
    }),
    limiter,
    limits,
    // Limits first: a refused request costs no other stage anything. Then the injection
    // guard, before anything is stored or reused.
    stages: [admit, createInspectStage(guard), ...(options.stages ?? [])],
    ...(options.responseCache === false
      ? {}
      : {
          responseCache: createModelCallCache({
            kv: memory.kv,
            logger,
            onLookup: (result) => telemetry.metrics.cacheRequests.add({ result }),
          }),
        }),
    observeGate: observeGate({ tracer, metrics: telemetry.metrics }),
    turn: {
      router: models.router,
      models: models.models,
      breaker: models.breaker,
      tools,
      guard,
      maxSteps: config.AGENT_MAX_STEPS,
      ...(config.THINKING_BUDGETS ? { thinkingBudgets: config.THINKING_BUDGETS } : {}),
    },
    stores: memory.stores,
    readiness: [
      ...storeReadiness(memory),
      ...providerChecks,
      ...mcpServers.map((source) => source.readiness),
    ],
  }
}
