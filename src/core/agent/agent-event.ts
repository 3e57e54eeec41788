import type { Complexity, Intent } from '../models/intent.ts'
import type { Tier } from '../models/model-catalog.ts'

/** Tokens and their cost in US dollars, from the catalog's prices. */
export interface TurnUsage {
  inputTokens: number
  outputTokens: number
  costUsd: number
}

/** Why a turn ended. */
export type TurnEndReason = 'done' | 'max-steps' | 'cancelled' | 'error'

/**
 * Everything a turn reports, in order. A step is one model call (a turn with a tool call has
 * at least two). `retry` with `restart: true` means the text and tool calls of that `step`
 * so far are void: the new model answers the step from its beginning. Every turn ends with
 * exactly one `turn-end`, preceded by `error` when it failed.
 */
export type AgentEvent =
  | {
      type: 'route'
      tier: Tier
      intent: Intent
      complexity: Complexity
      reason: string
      source: 'model' | 'tier' | 'heuristic' | 'classifier'
      candidates: string[]
    }
  | { type: 'text-delta'; step: number; text: string }
  | { type: 'tool-call'; step: number; id: string; name: string; input: unknown }
  | {
      type: 'tool-result'
      step: number
      id: string
      name: string
      ok: boolean
      content: string
      durationMs: number
    }
  | {
      type: 'retry'
      step: number
      from: string
      to: string
      restart: boolean
      waitMs: number
      error: { code: string; message: string }
    }
  | ({ type: 'usage'; step: number; model: string } & TurnUsage)
  | { type: 'error'; code: string; message: string; retryable: boolean }
  | {
      type: 'turn-end'
      reason: TurnEndReason
      /** The whole answer: every step's text after restarts, in order. */
      text: string
      /** The model that produced the last step. */
      model: string | undefined
      steps: number
      usage: TurnUsage
    }
