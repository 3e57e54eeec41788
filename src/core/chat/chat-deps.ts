import type { TurnDeps } from '../agent/run-turn.ts'
import type { HistoryStore } from '../memory/history-store.ts'
import type { TextIndex } from '../memory/text-index.ts'
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
  /** Semantic memory: exchanges remembered and recalled by text. */
  semantic: TextIndex
  logger: Logger
  /** Keeps work alive after the response (`waitUntil`). */
  defer(promise: Promise<unknown>): void
  now?: () => number
}

/** The chat dependencies of one request, from its services. */
export function chatDeps(services: RequestServices): ChatDeps {
  return {
    history: services.memory.history,
    semantic: services.memory.semantic,
    runLog: services.runLog,
    turn: services.turn,
    logger: services.logger,
    defer: services.defer,
  }
}
