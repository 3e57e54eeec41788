import type { ChatDeps } from './chat/chat-deps.ts'
import { memoryTtlMs } from './facts/memory-retention.ts'
import type { GateDeps } from './gate/start-model-work.ts'
import type { RequestServices } from './services.ts'

/*
 * The dependencies of one request's core calls, cut from its services. Here, beside the
 * composition root, so that core folders never import the root (dependencies point one way).
 */

/** Stateless runs keep their events this long at most: enough to resume, not to archive. */
const statelessRunTtlCapMs = 5 * 60_000

/** The chat dependencies of one request, from its services. */
export function chatDeps(services: RequestServices): ChatDeps {
  return {
    history: services.memory.history,
    semantic: services.memory.semantic,
    kv: services.memory.kv,
    sessions: services.memory.sessions,
    memoryTtlMs: memoryTtlMs(services.config.MEMORY_TTL_DAYS),
    runLog: services.runLog,
    live: services.liveRuns,
    approvals: services.approvals,
    turn: services.turn,
    logger: services.logger,
    defer: services.defer,
  }
}

/** The gate's dependencies of one request, from its services. */
export function gateDeps(services: RequestServices): GateDeps {
  return {
    ...chatDeps(services),
    stages: services.stages,
    ...(services.responseCache ? { cache: services.responseCache } : {}),
    observe: services.observeGate,
    toolbox: services.toolbox,
    statelessRunTtlMs: Math.min(services.config.RUN_TTL_SECONDS * 1000, statelessRunTtlCapMs),
  }
}
