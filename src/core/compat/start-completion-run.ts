import type { AgentEvent } from '../agent/agent-event.ts'
import { guardEvent } from '../agent/guard-event.ts'
import { asAppError, clientError } from '../client-error.ts'
import type { FlaggedInput } from '../guards/injection/inspect-inputs.ts'
import type { ChatRequest, ModelEvent } from '../models/chat-model.ts'
import type { CacheMark } from '../models/fallback.ts'
import { modelChoice } from '../models/model-choice.ts'
import type { RouteDecision } from '../models/router.ts'
import { tappedStream } from '../models/tapped-stream.ts'
import type { RunLog } from '../runs/run-log.ts'
import { createRunRecorder, type RunOutcome } from '../runs/run-recorder.ts'
import { modelEventsOf } from './completion-events.ts'
import { wrapFlagged } from './flagged-request.ts'
import { type CompletionDeps, type StartedCompletion, startCompletion } from './start-completion.ts'

/**
 * Shortest time between two writes of a stateless run's events. The client reads the model
 * directly; the log is for later readers (`x-outpost-run-id`, a resumed stream), so it may lag
 * by this much. An answer shorter than this costs the store two writes, its creation and its
 * end; a long one, four writes a second. At 50 ms an answer of a busy gateway (about 140 ms at
 * 200 streams) took two or three writes more, and on Upstash every write is a billed command.
 */
const STATELESS_APPEND_INTERVAL_MS = 250

/** What a stateless completion run needs: the model layer and the run log. */
export interface CompletionRunDeps extends CompletionDeps {
  runLog: RunLog
  newId?: () => string
}

/** The `guard` event of a run. */
export type GuardVerdictEvent = Extract<AgentEvent, { type: 'guard' }>

/** A stateless completion that is also a run: its events go to the run log as they pass. */
export interface StartedCompletionRun extends StartedCompletion {
  readonly runId: string
  /** Resolves (never rejects) once the run is final in the log. */
  settled: Promise<RunOutcome>
  /** The injection guard's verdicts on flagged messages (for a response header). */
  guard: GuardVerdictEvent[]
}

/** One stateless request: who asks, from where, and for what. */
export interface CompletionRunInput {
  ownerId: string
  surface: string
  model?: string
  request: ChatRequest
  /** How long the run's events stay readable; short, since nothing else of it is stored. */
  ttlMs: number
  /** Events that answer instead of the model (a gate stage's answer). */
  answer?: AsyncIterable<AgentEvent>
  /** Messages the injection guard flagged: wrapped for the model, reported as `guard` events. */
  flagged?: readonly FlaggedInput[]
}

/**
 * Starts a completion of the compatible endpoints as a run without a conversation: the run
 * log holds its events (for `ttlMs`) and names its owner, so it can be followed, resumed or
 * reused like any run. The client still reads the model directly, and nothing waits for the
 * store: the log is written behind the answer. Unlike a conversation's run, the caller's
 * reading drives it, so a client that goes away cancels it, as before.
 */
export async function startCompletionRun(
  deps: CompletionRunDeps,
  input: CompletionRunInput,
  signal?: AbortSignal,
): Promise<StartedCompletionRun> {
  const runId = (deps.newId ?? (() => crypto.randomUUID()))()
  const recorder = createRunRecorder(deps.runLog, runId, {
    create: { meta: { ownerId: input.ownerId, surface: input.surface }, ttlMs: input.ttlMs },
    intervalMs: Math.max(deps.runLog.appendIntervalMs ?? 0, STATELESS_APPEND_INTERVAL_MS),
    firstAppendWaits: true,
    mergeText: true,
  })
  let settle: (outcome: RunOutcome) => void = () => {}
  const settled = new Promise<RunOutcome>((resolve) => {
    settle = resolve
  })
  const close = () => void recorder.close('cancelled').then(settle)
  const turn = createTurnTracker(recorder.record)
  const guard = (input.flagged ?? []).map((input) =>
    guardEvent(input.path, { ...input.verdict, verdict: 'flag' }),
  )
  for (const event of guard) recorder.record(event)
  const request = wrapFlagged(input.request, input.flagged ?? [])

  let started: StartedCompletion
  try {
    started = input.answer
      ? answered(input.answer, modelChoice(input.model).model)
      : await startCompletion(deps, { model: input.model, request }, signal)
  } catch (error) {
    turn.failed(error)
    close()
    throw error
  }
  if (started.route) recorder.record(routeEvent(started.route))

  // The run follows the events as they pass, with no generator step of its own per chunk.
  const events = tappedStream(started.events, {
    item: (event) => turn.model(event, started.model, started.route, started.cache),
    end: () => {
      turn.ended('done', started.model)
      close()
    },
    error: (error) => {
      turn.failed(error, started.model)
      close()
    },
    left: close,
  })
  return {
    runId,
    settled,
    guard,
    ...(started.route ? { route: started.route } : {}),
    get model() {
      return started.model
    },
    get cache() {
      return started.cache
    },
    events,
  }
}

function answered(events: AsyncIterable<AgentEvent>, asked: string | undefined): StartedCompletion {
  let model = asked ?? 'none'
  return {
    get model() {
      return model
    },
    events: modelEventsOf(events, (name) => {
      model = name
    }),
  }
}

/** Turns the model events of one stateless answer into the agent events of its run. */
function createTurnTracker(record: (event: AgentEvent) => void) {
  let text = ''
  let ended = false
  const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 }
  const end = (reason: 'done' | 'error', model: string | undefined) => {
    if (ended) return
    ended = true
    record({ type: 'turn-end', reason, text, model, steps: 1, usage })
  }
  return {
    model(
      event: ModelEvent,
      model: string,
      route: RouteDecision | undefined,
      cache: CacheMark | undefined,
    ) {
      if (event.type === 'thinking-delta') {
        const { signature } = event
        record({
          type: 'thinking-delta',
          step: 1,
          text: event.text,
          ...(signature === undefined ? {} : { signature }),
        })
      } else if (event.type === 'text-delta') {
        text += event.text
        record({ type: 'text-delta', step: 1, text: event.text })
      } else if (event.type === 'tool-call') {
        record({ type: 'tool-call', step: 1, ...event.call })
      } else if (event.type === 'usage') {
        // What the cache answered (replayed or shared) is billed as zero: no model was called.
        const free = cache !== undefined && cache.status !== 'MISS'
        const price = free ? undefined : route?.candidates.find((c) => c.id === model)?.price
        const costUsd = price
          ? (event.inputTokens * price.inputPerMTok + event.outputTokens * price.outputPerMTok) /
            1e6
          : 0
        usage.inputTokens += event.inputTokens
        usage.outputTokens += event.outputTokens
        usage.costUsd += costUsd
        record({
          type: 'usage',
          step: 1,
          model,
          inputTokens: event.inputTokens,
          outputTokens: event.outputTokens,
          costUsd,
        })
      }
    },
    ended: end,
    failed(error: unknown, model?: string) {
      if (ended) return
      const shown = clientError(asAppError(error))
      record({
        type: 'error',
        code: shown.code,
        message: shown.message,
        retryable: shown.retryable,
      })
      end('error', model)
    },
  }
}

function routeEvent(route: RouteDecision): AgentEvent {
  return {
    type: 'route',
    tier: route.tier,
    intent: route.intent,
    complexity: route.complexity,
    reason: route.reason,
    source: route.source,
    candidates: route.candidates.map((c) => c.id),
  }
}
