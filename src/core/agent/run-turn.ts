import { asAppError, clientError } from '../client-error.ts'
import type { InjectionGuard } from '../guards/injection/injection-guard.ts'
import type { CircuitBreaker } from '../models/breaker.ts'
import type { ChatMessage, ContentPart, ToolCall } from '../models/chat-model.ts'
import { type ModelCall, streamWithFallback } from '../models/fallback.ts'
import type { CatalogEntry, Tier } from '../models/model-catalog.ts'
import type { ModelProvider } from '../models/model-provider.ts'
import type { Router } from '../models/router.ts'
import { withInjectionGuard } from '../tools/guarded-registry.ts'
import type { ToolRegistry } from '../tools/registry.ts'
import type { AgentEvent, TurnEndReason, TurnUsage } from './agent-event.ts'
import type { Approver } from './approver.ts'
import { guardEvent } from './guard-event.ts'
import { runToolCalls } from './run-tool-calls.ts'

/** What joins the texts of two steps in an answer (and leads a later step's first delta). */
export const stepSeparator = '\n\n'

/** One user message to answer, with the conversation it belongs to. */
export interface TurnInput {
  message: string | ContentPart[]
  /** Recent messages, oldest first; what the default recall returns. */
  history?: ChatMessage[]
  conversationId?: string
  /** A `provider:model` id or a tier the caller insists on. */
  model?: string
  tier?: Tier
  temperature?: number
  maxTokens?: number
  /** false asks providers for whole answers instead of streams. Default true. */
  stream?: boolean
}

/** The turn's context from memory, and the events that say what happened to it (`recall`, `guard`). */
export interface Recalled {
  messages: ChatMessage[]
  events?: AgentEvent[]
  /**
   * Recalled memories as the block the model reads (see `memoryContext`): put before the
   * user's message, in the user's turn, never as a system message.
   */
  preface?: string
}

/** The user's message with recalled data before it, in the same turn. */
function withPreface(message: TurnInput['message'], preface: string | undefined) {
  if (!preface) return message
  if (typeof message === 'string') return `${preface}\n\n${message}`
  return [{ type: 'text' as const, text: preface }, ...message]
}

/** What `runTurn` needs; tests inject each of these. */
export interface TurnDeps {
  router: Router
  models: ModelProvider
  tools?: ToolRegistry
  /** Asks the user about calls of tools that need approval; without it such calls are denied. */
  approver?: Approver
  breaker?: CircuitBreaker
  /** Context for the turn; the memory work plugs in here. Default: `input.history`. */
  recall?: (input: TurnInput, signal?: AbortSignal) => Promise<Recalled>
  /**
   * The prompt-injection guard: tool results pass its `tool-result` policy before the model
   * sees them, each verdict that is not `allow` reported as a `guard` event. None: no guard.
   */
  guard?: InjectionGuard
  system?: string
  /** Model calls per turn, tool round trips included. Default 6. */
  maxSteps?: number
  now?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  maxWaitMs?: number
  /** The model call: `streamWithFallback`, or the response cache bound to this caller. */
  call?: ModelCall
  /** Reasoning tokens per tier, for the models that think only when asked (Anthropic). */
  thinkingBudgets?: Partial<Record<Tier, number>>
}

/**
 * Answers one user message: recall, route, then loop (stream the model with fallback, run
 * the tools it asks for, feed the results back) until the model stops asking for tools or
 * the step limit. Never throws: failures end the turn with `error` then `turn-end`.
 * Aborting `signal` cancels the provider request and the tools, and ends with `cancelled`.
 */
export async function* runTurn(
  deps: TurnDeps,
  input: TurnInput,
  signal?: AbortSignal,
): AsyncGenerator<AgentEvent> {
  const maxSteps = deps.maxSteps ?? 6
  const total: TurnUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0 }
  let answer = ''
  let model: string | undefined
  let step = 0
  const end = (reason: TurnEndReason): AgentEvent => ({
    type: 'turn-end',
    reason,
    text: answer,
    model,
    steps: step,
    usage: { ...total, costUsd: round(total.costUsd) },
  })

  try {
    const recalled = deps.recall
      ? await deps.recall(input, signal)
      : { messages: input.history ?? [] }
    for (const event of recalled.events ?? []) yield event
    const before: ChatMessage[] = [
      ...(deps.system ? [{ role: 'system' as const, content: deps.system }] : []),
      ...recalled.messages,
    ]
    const messages: ChatMessage[] = [
      ...before,
      { role: 'user', content: withPreface(input.message, recalled.preface) },
    ]
    // Routed on what the user asked: recalled notes must not change the tier.
    const decision = await deps.router.route(
      {
        messages: [...before, { role: 'user', content: input.message }],
        model: input.model,
        tier: input.tier,
      },
      signal,
    )
    yield {
      type: 'route',
      tier: decision.tier,
      intent: decision.intent,
      complexity: decision.complexity,
      reason: decision.reason,
      source: decision.source,
      candidates: decision.candidates.map((c) => c.id),
    }
    // Guarded per turn, so each verdict lands in this turn's events, after its result.
    const verdicts = new Map<string, AgentEvent>()
    const registry =
      deps.tools && deps.guard
        ? withInjectionGuard(deps.tools, deps.guard, (result, verdict) => {
            if (verdict.verdict === 'allow') return
            const flagged = { ...verdict, verdict: verdict.verdict }
            verdicts.set(result.callId, guardEvent('tool-result', flagged, result.callId))
          })
        : deps.tools
    const tools = registry?.definitions() ?? []
    const thinkingBudget = deps.thinkingBudgets?.[decision.tier]

    while (step < maxSteps) {
      if (signal?.aborted) return yield end('cancelled')
      step += 1
      let text = ''
      let calls: ToolCall[] = []
      let candidate: CatalogEntry | undefined
      // A call the cache answered (replayed or shared) costs nothing: no model was called.
      let free = false
      const request = {
        messages: [...messages],
        ...(tools.length > 0 ? { tools, toolChoice: 'auto' as const } : {}),
        temperature: input.temperature,
        maxTokens: input.maxTokens,
        stream: input.stream,
        ...(thinkingBudget ? { thinkingBudget } : {}),
      }
      const events = (deps.call ?? streamWithFallback)(
        {
          models: deps.models,
          breaker: deps.breaker,
          now: deps.now,
          sleep: deps.sleep,
          maxWaitMs: deps.maxWaitMs,
        },
        decision.candidates,
        request,
        signal,
      )
      for await (const event of events) {
        switch (event.type) {
          case 'model-start':
            candidate = event.candidate
            model = candidate.id
            free = event.cache !== undefined && event.cache.status !== 'MISS'
            break
          case 'retry':
            if (event.restart) {
              text = ''
              calls = []
            }
            yield { ...event, step }
            break
          case 'thinking-delta':
            yield {
              type: 'thinking-delta',
              step,
              text: event.text,
              ...(event.signature === undefined ? {} : { signature: event.signature }),
            }
            break
          case 'text-delta': {
            // A new step's text is a new paragraph of the answer: the separator travels in
            // its first delta, so the deltas of every consumer add up to the stored text.
            const lead = text === '' && answer !== '' ? stepSeparator : ''
            text += event.text
            yield { type: 'text-delta', step, text: lead + event.text }
            break
          }
          case 'tool-call':
            calls.push(event.call)
            yield { type: 'tool-call', step, ...event.call }
            break
          case 'usage': {
            const price = (!free && candidate?.price) || { inputPerMTok: 0, outputPerMTok: 0 }
            const costUsd =
              (event.inputTokens * price.inputPerMTok + event.outputTokens * price.outputPerMTok) /
              1e6
            total.inputTokens += event.inputTokens
            total.outputTokens += event.outputTokens
            total.costUsd += costUsd
            yield {
              type: 'usage',
              step,
              model: candidate?.id ?? 'unknown',
              inputTokens: event.inputTokens,
              outputTokens: event.outputTokens,
              costUsd: round(costUsd),
            }
            break
          }
          case 'finish':
            // Whether tools were called decides the next step, not the finish reason.
            break
          default:
            event satisfies never
        }
      }
      if (text) answer += answer ? stepSeparator + text : text
      messages.push({
        role: 'assistant',
        content: text,
        ...(calls.length > 0 ? { toolCalls: calls } : {}),
      })
      if (calls.length === 0) return yield end('done')
      if (!registry) {
        throw new TypeError('The model called a tool but the turn has no tool registry')
      }
      const results = yield* runToolCalls(
        {
          step,
          calls,
          registry,
          approver: deps.approver,
          now: deps.now,
          verdictFor: (callId) => verdicts.get(callId),
        },
        signal,
      )
      if (results === 'cancelled') return yield end('cancelled')
      for (const result of results) {
        messages.push({
          role: 'tool',
          toolCallId: result.callId,
          toolName: result.name,
          content: result.content,
          ...(result.ok ? {} : { isError: true }),
        })
      }
    }
    yield end('max-steps')
  } catch (error) {
    if (signal?.aborted) return yield end('cancelled')
    const shown = clientError(asAppError(error))
    yield { type: 'error', code: shown.code, message: shown.message, retryable: shown.retryable }
    yield end('error')
  }
}

function round(usd: number): number {
  return Math.round(usd * 1e8) / 1e8
}
