import type { TurnDeps } from '../agent/run-turn.ts'
import type { ChatRequest, ModelEvent } from '../models/chat-model.ts'
import { type CacheMark, type FallbackEvent, streamWithFallback } from '../models/fallback.ts'
import { modelChoice } from '../models/model-choice.ts'
import { ProviderError } from '../models/provider-error.ts'
import type { RouteDecision } from '../models/router.ts'

/** What a stateless completion needs: the model layer, without the agent's tool loop. */
export type CompletionDeps = Pick<
  TurnDeps,
  'router' | 'models' | 'breaker' | 'call' | 'thinkingBudgets'
>

/** A completion that has produced its first model event (or proved it cannot). */
export interface StartedCompletion {
  /** Absent when the answer came from elsewhere (a gate stage), not from routing. */
  route?: RouteDecision
  /** The `provider:model` answering now (it changes only if a fallback happens later). */
  readonly model: string
  /** The model's events from the first; replays the one read to start. */
  events: AsyncIterable<ModelEvent>
  /** How the response cache served the call, when it could (`X-Cache`, `Age`). */
  readonly cache?: CacheMark
}

/**
 * Routes a stateless request (OpenAI- and Anthropic-compatible surfaces: the client sends the
 * whole conversation and runs its own tools) and starts it with fallback. It reads up to the
 * first model event before resolving, so a request that fails on every candidate rejects here
 * (and becomes an HTTP error) instead of inside a stream that already answered 200. A fallback
 * that would restart an answer already sent is an error: a stateless client cannot unsee it.
 */
export async function startCompletion(
  deps: CompletionDeps,
  input: { model?: string; request: ChatRequest },
  signal?: AbortSignal,
): Promise<StartedCompletion> {
  const route = await deps.router.route(
    { messages: input.request.messages, ...modelChoice(input.model) },
    signal,
  )
  const iterator = (deps.call ?? streamWithFallback)(
    { models: deps.models, breaker: deps.breaker },
    route.candidates,
    withThinking(input.request, deps.thinkingBudgets?.[route.tier]),
    signal,
  )[Symbol.asyncIterator]()
  let model = route.candidates[0]?.id ?? 'none'
  let cache: CacheMark | undefined
  let sent = false

  // The model event in a fallback event, or none (noting which model answers on the way).
  const modelEvent = (event: FallbackEvent): ModelEvent | undefined => {
    if (event.type === 'model-start') {
      model = event.candidate.id
      cache = event.cache
    } else if (event.type === 'retry') {
      if (event.restart && sent) {
        throw new ProviderError('provider_error', `${event.from} failed mid-answer`, {
          provider: event.from.split(':')[0] ?? 'none',
          model: event.from,
          retryable: true,
        })
      }
    } else {
      return event
    }
    return undefined
  }

  let first: ModelEvent | undefined
  for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
    first = modelEvent(step.value)
    if (first) break
  }
  // An iterator by hand, not an async generator: this runs for every chunk streamed, and a
  // generator step costs a few promise turns more.
  const events: AsyncIterableIterator<ModelEvent> = {
    async next(): Promise<IteratorResult<ModelEvent>> {
      if (first) {
        const event = first
        first = undefined
        sent = true
        return { done: false, value: event }
      }
      if (!sent) return { done: true, value: undefined }
      try {
        for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
          const event = modelEvent(step.value)
          if (event) return { done: false, value: event }
        }
      } catch (error) {
        // A restart refused mid-answer leaves the call open: end it before failing.
        await iterator.return?.(undefined)
        throw error
      }
      return { done: true, value: undefined }
    },
    async return(): Promise<IteratorResult<ModelEvent>> {
      await iterator.return?.(undefined)
      return { done: true, value: undefined }
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
  return {
    route,
    get model() {
      return model
    },
    get cache() {
      return cache
    },
    events,
  }
}

/** The route as one header-safe line, for `x-outpost-route`. */
export function routeHeader(route: RouteDecision): string {
  const text = `${route.source}; tier=${route.tier}; ${route.reason}`
  return text.slice(0, 300).replace(/[^\x20-\x7e]/g, '?')
}

/** The client's own thinking budget (Anthropic's `thinking`) wins over the tier's setting. */
function withThinking(request: ChatRequest, tierBudget: number | undefined): ChatRequest {
  if (request.thinkingBudget !== undefined || tierBudget === undefined) return request
  return { ...request, thinkingBudget: tierBudget }
}
