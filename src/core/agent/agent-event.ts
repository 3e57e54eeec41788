import type { ErrorCode } from '../error-codes.ts'
import type { GuardPath } from '../guards/injection/injection-policy.ts'
import type { Complexity, Intent } from '../models/intent.ts'
import type { Tier } from '../models/model-catalog.ts'
import type { ApprovalDecision } from './approver.ts'

/** Tokens and their cost in US dollars, from the catalog's prices. */
export interface TurnUsage {
  inputTokens: number
  outputTokens: number
  costUsd: number
}

/** Why a turn ended. */
export type TurnEndReason = 'done' | 'max-steps' | 'cancelled' | 'error'

/** A recalled memory as the run stream reports it (see `recall` in core/facts). */
export interface RecalledMemoryRef {
  id: string
  text: string
  score: number
  conversationId?: string
  messageId?: string
  createdAt: number
}

/**
 * Everything a turn reports, in order. A step is one model call (a turn with a tool call has
 * at least two). `retry` with `restart: true` means the text and tool calls of that `step`
 * so far are void: the new model answers the step from its beginning. Every turn ends with
 * exactly one `turn-end`, preceded by `error` when it failed.
 */
export type AgentEvent =
  | {
      type: 'recall'
      /** What memory handed the model, as data, with where each memory came from. */
      memories: RecalledMemoryRef[]
    }
  | {
      type: 'route'
      tier: Tier
      /** The guess behind a routed choice; absent when the caller named the model. */
      intent?: Intent
      complexity?: Complexity
      reason: string
      source: 'model' | 'tier' | 'heuristic' | 'classifier'
      candidates: string[]
    }
  | {
      type: 'guard'
      guard: 'prompt-injection'
      path: GuardPath
      verdict: 'flag' | 'block'
      score: number
      reasons: string[]
      /** The tool call whose result was inspected (path `tool-result`). */
      toolCallId?: string
    }
  | { type: 'thinking-delta'; step: number; text: string; signature?: string }
  | { type: 'text-delta'; step: number; text: string }
  | { type: 'tool-call'; step: number; id: string; name: string; input: unknown }
  | {
      type: 'approval-request'
      step: number
      id: string
      name: string
      input: unknown
      /** When no answer counts as Deny, in epoch milliseconds. */
      deadline: number
    }
  | {
      type: 'approval'
      step: number
      id: string
      name: string
      decision: ApprovalDecision
      /** `timeout`: nobody answered before the deadline. */
      by: 'user' | 'timeout'
    }
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
  | { type: 'error'; code: ErrorCode; message: string; retryable: boolean }
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

/**
 * Every event type with what it means, in the order a turn produces them: the one list the
 * API description and the README's table are generated from. `satisfies` makes a new event
 * type that is missing here (or a stale one) a compile error.
 */
export const agentEventTypes = {
  recall:
    'Memories recalled for this turn and handed to the model as data in the user turn: `memories` (each `id`, `text`, `score`, `conversationId`, `messageId`, `createdAt`). Only when something was recalled.',
  route:
    'The router chose a tier and its candidates: `tier`, `intent` and `complexity` (absent when the caller named the model), `reason`, `source`, `candidates`.',
  guard:
    'The prompt-injection guard flagged (wrapped as untrusted data) or blocked (left out) a text on `path` (user-input, tool-result, recalled-memory): `verdict`, `score`, `reasons`, and `toolCallId` for a tool result.',
  'thinking-delta':
    "A piece of the model's reasoning in step `step`, never part of the answer's text. A delta with empty `text` may carry the reasoning block's `signature` (Anthropic).",
  'text-delta':
    'A piece of the answer of step `step`. A later step begins with a blank line, so the deltas add up to the final text.',
  'tool-call': 'The model called tool `name` with `input` (id `id`).',
  'approval-request':
    'The run pauses: tool call `id` (`name`, `input`) waits for the user to approve or deny it until `deadline` (epoch ms).',
  approval:
    'The call `id` was decided: `decision` (approve, deny) `by` the user or by the timeout (deny). A denied call gives the model an error result.',
  'tool-result': 'The tool answered (`ok`, `content`, `durationMs`).',
  retry:
    'Model `from` failed with `error`; `to` answers now. With `restart`, the text and tool calls of that step so far are void.',
  usage: 'Tokens and cost (US dollars) of one model call of step `step`.',
  error: 'The turn failed: `code`, `message`, `retryable`. A `turn-end` follows.',
  'turn-end':
    'The last event: `reason` (done, max-steps, cancelled, error), the whole `text`, the `model`, `steps` and total `usage`.',
} as const satisfies Record<AgentEvent['type'], string>

/** An agent event's type. */
export type AgentEventType = keyof typeof agentEventTypes

/** The event types, in order. */
export const agentEventNames = Object.keys(agentEventTypes) as AgentEventType[]
