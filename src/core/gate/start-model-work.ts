import type { AgentEvent } from '../agent/agent-event.ts'
import type { ModelCallCache } from '../cache/model-call-cache.ts'
import type { ChatDeps } from '../chat/chat-deps.ts'
import { editMessage } from '../chat/edit-message.ts'
import { regenerate } from '../chat/regenerate.ts'
import { sendMessage, validMessage } from '../chat/send-message.ts'
import { asAppError } from '../client-error.ts'
import { startCompletionRun } from '../compat/start-completion-run.ts'
import type { FlaggedInput } from '../guards/injection/inspect-inputs.ts'
import { modelChoice } from '../models/model-choice.ts'
import type { RunOutcome } from '../runs/run-recorder.ts'
import type { Toolbox } from '../tools/toolbox.ts'
import { bindTools } from './bind-tools.ts'
import type { GateObserver } from './gate-observer.ts'
import type { GateOutcome, GateStage } from './gate-stage.ts'
import type { ModelWork, ModelWorkResults } from './model-work.ts'
import { passStages } from './pass-stages.ts'
import type { RequestContext } from './request-context.ts'
import { reuseModelCalls } from './reuse-model-calls.ts'

/** What the gate needs: the chat machinery, its stages, and how long stateless runs live. */
export interface GateDeps extends ChatDeps {
  stages: readonly GateStage[]
  /** The response cache and request coalescing of model calls; none when absent. */
  cache?: ModelCallCache
  /** Lifetime of a stateless (compatible endpoint) run's events in the log. */
  statelessRunTtlMs: number
  /** Telemetry around each gated request (a span, refusal counts); none when absent. */
  observe?: GateObserver
  /** The tools of each turn, bound to its principal; `turn.tools` as they are when absent. */
  toolbox?: Toolbox
}

/**
 * THE entry for model work: every surface (chat UI with and without JavaScript, WebSocket
 * frames, REST, the OpenAI- and Anthropic-compatible endpoints, MCP) starts model work here
 * and nowhere else. Validates the work (nothing is written for invalid input), passes it
 * through the stages in order (a refusal rejects with the stage's `AppError`), then starts
 * the run, fed by the model or by a stage's answer. Every stage that let it through is
 * settled once the run is final, or at once if it never started.
 */
export async function startModelWork<W extends ModelWork>(
  deps: GateDeps,
  context: RequestContext,
  work: W,
): Promise<ModelWorkResults[W['kind']]> {
  if (work.kind === 'message' || work.kind === 'edit') validMessage(work.content)
  modelChoice(work.model)
  const logger = deps.logger.child({ request_id: context.requestId, surface: context.surface })
  const observation = deps.observe?.(context, work)
  const within = <T>(body: () => Promise<T>) => (observation ? observation.within(body) : body())
  const ended = (outcome: GateOutcome) => observation?.end(outcome)
  const admission = await within(() => passStages(deps.stages, context, work, logger)).catch(
    (thrown: unknown) => {
      ended({ kind: 'not-started', error: asAppError(thrown) })
      throw thrown
    },
  )
  const ownerId = context.principal.userId
  const answer = admission.answer?.events
  let result: ModelWorkResults[ModelWork['kind']]
  try {
    // Everything started here logs with the request's id (and the run's, once it has one).
    result = await within<ModelWorkResults[ModelWork['kind']]>(async () => {
      const reusing = reuseModelCalls({ ...deps, logger }, context, work)
      // A stateless completion returns tool calls to its client and runs none of ours.
      const bound = work.kind === 'completion' ? reusing : await bindTools(reusing, context)
      return start(bound, context, work, answer, admission.flagged)
    })
  } catch (thrown) {
    const outcome = { kind: 'not-started' as const, error: asAppError(thrown) }
    ended(outcome)
    deps.defer(admission.settle(outcome))
    throw thrown
  }
  const settled: Promise<RunOutcome> = 'settled' in result ? result.settled : result.run.settled
  deps.defer(
    settled.then((outcome) => {
      logger.debug('run settled', { run_id: outcome.runId, owner: ownerId, status: outcome.status })
      ended({ kind: 'finished', ...outcome })
      return admission.settle({ kind: 'finished', ...outcome })
    }),
  )
  return result as ModelWorkResults[W['kind']]
}

function start(
  deps: GateDeps,
  context: RequestContext,
  work: ModelWork,
  answer: AsyncIterable<AgentEvent> | undefined,
  flagged: readonly FlaggedInput[],
) {
  const ownerId = context.principal.userId
  const flag = flagged.find((input) => input.path === 'user-input')?.verdict
  switch (work.kind) {
    case 'message':
      return sendMessage(deps, {
        ownerId,
        content: work.content,
        ...(work.images?.length ? { images: work.images } : {}),
        ...(work.conversationId ? { conversationId: work.conversationId } : {}),
        ...(work.model ? { model: work.model } : {}),
        ...(answer ? { answer } : {}),
        ...(flag?.verdict === 'flag' ? { flag: { ...flag, verdict: 'flag' as const } } : {}),
        live: context.surface !== 'rest',
      })
    case 'regenerate':
      return regenerate(deps, {
        ownerId,
        conversationId: work.conversationId,
        ...(work.model ? { model: work.model } : {}),
        ...(answer ? { answer } : {}),
        live: context.surface !== 'rest',
      })
    case 'edit':
      return editMessage(deps, {
        ownerId,
        conversationId: work.conversationId,
        messageId: work.messageId,
        content: work.content,
        ...(work.model ? { model: work.model } : {}),
        ...(answer ? { answer } : {}),
        ...(flag?.verdict === 'flag' ? { flag: { ...flag, verdict: 'flag' as const } } : {}),
        live: context.surface !== 'rest',
      })
    case 'completion':
      return startCompletionRun(
        { ...deps.turn, runLog: deps.runLog },
        {
          ownerId,
          surface: context.surface,
          model: work.model,
          request: work.request,
          ttlMs: deps.statelessRunTtlMs,
          ...(answer ? { answer } : {}),
          flagged,
        },
        context.signal,
      )
    default:
      return work satisfies never
  }
}
