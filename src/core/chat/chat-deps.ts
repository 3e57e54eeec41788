import type { TurnDeps } from '../agent/run-turn.ts'
import type { FactTiming } from '../facts/remember-facts.ts'
import type { HistoryStore } from '../memory/history-store.ts'
import type { KvStore } from '../memory/kv-store.ts'
import type { TextIndex } from '../memory/text-index.ts'
import type { LiveRuns } from '../runs/live-runs.ts'
import type { RunApprovals } from '../runs/run-approvals.ts'
import type { RunLog } from '../runs/run-log.ts'
import type { ConversationRunDeps } from '../runs/start-conversation-run.ts'
import type { Logger } from '../telemetry/logger.ts'

/**
 * What the chat functions need: the stores, the turn machinery and the background hand-off.
 * Handlers build it from `c.var.services` (see `chatDeps` in request-deps.ts); tests inject their own.
 */
export interface ChatDeps extends ConversationRunDeps {
  history: HistoryStore
  runLog: RunLog
  live: LiveRuns
  turn: TurnDeps
  /** Where a run's tool calls wait for approval; without it they are denied. */
  approvals?: RunApprovals
  /** Semantic memory: facts about the owner, remembered and recalled by text. */
  semantic: TextIndex
  /** Working memory: sessions (see `loadSession`), the fact extraction's debounce and lock. */
  kv: KvStore
  /** Whether conversations are read through working memory (`Memory.sessions`). Default true. */
  sessions?: boolean
  /** Age after which memories are forgotten (`MEMORY_TTL_DAYS`); unset keeps them. */
  memoryTtlMs?: number
  /** Pacing of fact extraction (tests shorten the debounce). */
  factTiming?: FactTiming
  logger: Logger
  /** Keeps work alive after the response (`waitUntil`). */
  defer(promise: Promise<unknown>): void
  now?: () => number
}
