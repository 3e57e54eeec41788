import type { TurnDeps } from '../agent/run-turn.ts'
import type { Embedder } from '../memory/embedder.ts'
import type { HistoryStore } from '../memory/history-store.ts'
import type { VectorStore } from '../memory/vector-store.ts'
import type { RunLog } from '../runs/run-log.ts'
import type { RequestServices } from '../services.ts'
import type { Logger } from '../telemetry/logger.ts'

/**
 * What the chat functions need: the stores, the turn machinery and the background hand-off.
 * Handlers build it from `c.var.services` (see `chatDeps`); tests inject their own.
 */
export interface ChatDeps {
  history: HistoryStore
  runLog: RunLog
  turn: TurnDeps
  vectors: VectorStore
  embedder: Embedder
  logger: Logger
  /** Keeps work alive after the response (`waitUntil`). */
  defer(promise: Promise<unknown>): void
  now?: () => number
}

/** The chat dependencies of one request, from its services. */
export function chatDeps(services: RequestServices): ChatDeps {
  return {
    history: services.memory.history,
    vectors: services.memory.vectors,
    embedder: services.memory.embedder,
    runLog: services.runLog,
    turn: services.turn,
    logger: services.logger,
    defer: services.defer,
  }
}
