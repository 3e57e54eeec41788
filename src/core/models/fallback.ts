import type { BreakerVerdict, CircuitBreaker } from './breaker.ts'
import type { ChatRequest, ModelEvent } from './chat-model.ts'
import { inputSize, inputTokens } from './input-size.ts'
import type { CatalogEntry } from './model-catalog.ts'
import type { ModelProvider } from './model-provider.ts'
import { ProviderError } from './provider-error.ts'
import { abortableSleep } from './sleep.ts'

/**
 * What a call with fallback yields: the model's own events, `model-start` before each
 * attempt, and `retry` when moving on after a failure. `restart` is true when the failed
 * attempt had already streamed text or tool calls: the consumer must discard them, because
 * the new attempt answers from the beginning.
 */
export type FallbackEvent =
  | ModelEvent
  | { type: 'model-start'; candidate: CatalogEntry; attempt: number; cache?: CacheMark }
  | {
      type: 'retry'
      from: string
      to: string
      restart: boolean
      waitMs: number
      error: { code: string; message: string }
    }

/**
 * How the response cache served a model call, on its `model-start`: `HIT` replays a stored
 * answer, `COALESCED` follows an identical call in flight, `MISS` calls the model (and may
 * store the answer). Hits and coalesced calls cost nothing: no model was called for them.
 */
export interface CacheMark {
  status: 'HIT' | 'MISS' | 'COALESCED'
  /** Seconds since the answer was produced (0 unless `HIT`). */
  ageSeconds: number
}

/** A model call with fallback: `streamWithFallback` itself, or a decorator (the response cache). */
export type ModelCall = (
  options: FallbackOptions,
  candidates: readonly CatalogEntry[],
  request: ChatRequest,
  signal?: AbortSignal,
) => AsyncIterable<FallbackEvent>

/** Options of `streamWithFallback`. */
export interface FallbackOptions {
  models: ModelProvider
  breaker?: CircuitBreaker
  now?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** The longest wait we accept for a Retry-After once every candidate has failed. 5 s. */
  maxWaitMs?: number
  /** Attempts over all candidates and rounds. Default: candidates + 2. */
  maxAttempts?: number
}

/** Failures worth trying elsewhere even though this model will not recover by itself. */
const movesOn = new Set(['provider_auth', 'provider_not_found'])

/**
 * Streams from the first candidate that can serve the request (tools, images, context
 * length), moving to the next on a retryable failure and skipping models whose breaker is
 * open. When all have failed, it waits for the earliest Retry-After if that is within
 * `maxWaitMs` and tries again; otherwise it throws the last `ProviderError` (or
 * `no_candidate`). Never ends silently after a partial answer.
 */
export async function* streamWithFallback(
  options: FallbackOptions,
  candidates: readonly CatalogEntry[],
  request: ChatRequest,
  signal?: AbortSignal,
): AsyncGenerator<FallbackEvent> {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? abortableSleep
  const needs = requirements(request)
  const eligible = candidates.filter((c) => missing(c, needs) === undefined)
  if (eligible.length === 0) {
    // Only size stands in the way: that is the request's fault, not a service failure.
    if (candidates.some((c) => missing(c, { ...needs, tokens: 0 }) === undefined)) {
      throw new ProviderError(
        'context_length_exceeded',
        `The request (about ${needs.tokens} tokens) is larger than the context window of every model that could answer it`,
        { provider: 'none', model: 'none', retryable: false },
      )
    }
    const why =
      candidates.length === 0
        ? 'no models are configured for this tier'
        : (missing(candidates[0] as CatalogEntry, needs) as string)
    throw new ProviderError('no_candidate', `No model can serve this request: ${why}`, {
      provider: 'none',
      model: 'none',
      retryable: false,
    })
  }
  const maxAttempts = options.maxAttempts ?? eligible.length + 2
  let attempts = 0
  let failed: { id: string; error: ProviderError; streamed: boolean } | undefined
  let waitMs = 0
  let cooling = Number.POSITIVE_INFINITY

  while (attempts < maxAttempts) {
    let earliest = Number.POSITIVE_INFINITY
    for (const candidate of eligible) {
      if (attempts >= maxAttempts) break
      const verdict: BreakerVerdict = options.breaker
        ? await options.breaker.allow(candidate.id)
        : { allowed: true, state: 'closed' }
      if (!verdict.allowed) {
        earliest = Math.min(earliest, verdict.retryAt ?? now())
        continue
      }
      attempts += 1
      if (failed) {
        yield {
          type: 'retry',
          from: failed.id,
          to: candidate.id,
          restart: failed.streamed,
          waitMs,
          error: { code: failed.error.code, message: failed.error.message },
        }
      }
      waitMs = 0
      yield { type: 'model-start', candidate, attempt: attempts }
      let streamed = false
      try {
        const model = await options.models.get(candidate.id)
        for await (const event of model.stream(request, signal)) {
          if (event.type !== 'usage' && event.type !== 'finish') streamed = true
          yield event
        }
        await options.breaker?.success(candidate.id, verdict)
        return
      } catch (caught) {
        const error = asProviderError(caught, candidate)
        if (signal?.aborted || error.code === 'provider_aborted') throw error
        if (!error.retryable && !movesOn.has(error.code)) throw error
        if (error.retryable) {
          await options.breaker?.failure(candidate.id, { retryAfterMs: error.retryAfterMs })
        }
        if (error.retryAfterMs !== undefined)
          earliest = Math.min(earliest, now() + error.retryAfterMs)
        failed = { id: candidate.id, error, streamed }
      }
    }
    cooling = earliest
    if (attempts >= maxAttempts || !Number.isFinite(earliest)) break
    const wait = Math.max(0, earliest - now())
    if (wait > (options.maxWaitMs ?? 5000)) break
    await sleep(wait, signal).catch(() => {
      throw new ProviderError('provider_aborted', 'Cancelled while waiting to retry', {
        provider: 'none',
        model: 'none',
        retryable: false,
      })
    })
    waitMs = wait
  }
  if (failed) throw failed.error
  throw new ProviderError('no_candidate', 'Every model for this request is cooling down', {
    provider: 'none',
    model: 'none',
    retryable: true,
    retryAfterMs: Number.isFinite(cooling) ? Math.max(0, cooling - now()) : undefined,
  })
}

interface Requirements {
  tools: boolean
  vision: boolean
  tokens: number
}

function requirements(request: ChatRequest): Requirements {
  const size = inputSize(request.messages, request.tools)
  return {
    tools: (request.tools?.length ?? 0) > 0,
    vision: size.images > 0,
    tokens: inputTokens(size) + (request.maxTokens ?? 0),
  }
}

function missing(candidate: CatalogEntry, needs: Requirements): string | undefined {
  if (needs.tools && !candidate.capabilities.tools) return `${candidate.id} cannot call tools`
  if (needs.vision && !candidate.capabilities.vision) return `${candidate.id} cannot read images`
  if (needs.tokens > candidate.capabilities.contextWindow) {
    return `the conversation (about ${needs.tokens} tokens) exceeds ${candidate.id}'s context window`
  }
  return undefined
}

function asProviderError(caught: unknown, candidate: CatalogEntry): ProviderError {
  if (caught instanceof ProviderError) return caught
  return new ProviderError('provider_error', `${candidate.id} failed`, {
    provider: candidate.provider,
    model: candidate.model,
    retryable: false,
    cause: caught,
  })
}
