import type { AgentEvent } from '../agent/agent-event.ts'
import { AppError, isAppError } from '../errors.ts'
import type { FlaggedInput } from '../guards/injection/inspect-inputs.ts'
import type { Logger } from '../telemetry/logger.ts'
import type { GateOutcome, GateStage, Settle } from './gate-stage.ts'
import type { ModelWork } from './model-work.ts'
import type { RequestContext } from './request-context.ts'

/** What the stages decided together: go on (perhaps with an answer), and whom to settle with. */
export interface Admission {
  /** Events that answer instead of the model, from the stage named `source`. */
  answer?: { source: string; events: AsyncIterable<AgentEvent> }
  /** Inputs a stage flagged, for the run to wrap and report. */
  flagged: FlaggedInput[]
  /** Calls every stage's `settle`, last stage first; never rejects. */
  settle(outcome: GateOutcome): Promise<void>
}

/**
 * Runs the stages in order until one refuses or answers. A refusal (or a stage that throws)
 * settles the stages that already let the request through, then rejects with the refusal's
 * error, which the surface renders in its own dialect.
 */
export async function passStages(
  stages: readonly GateStage[],
  context: RequestContext,
  work: ModelWork,
  logger: Logger,
): Promise<Admission> {
  const settles: { stage: string; settle: Settle }[] = []
  const flagged: FlaggedInput[] = []
  const settle = async (outcome: GateOutcome) => {
    for (const { stage, settle: one } of settles.toReversed()) {
      try {
        await one(outcome)
      } catch (error) {
        // Settling is bookkeeping: a failure is logged, never the client's problem.
        logger.error('gate stage settle failed', { stage, error: String(error) })
      }
    }
  }
  for (const stage of stages) {
    let verdict: Awaited<ReturnType<GateStage['check']>>
    try {
      verdict = await stage.check(context, work)
    } catch (thrown) {
      verdict = { kind: 'refuse', error: asAppError(thrown, stage.name) }
    }
    switch (verdict.kind) {
      case 'continue':
        if (verdict.settle) settles.push({ stage: stage.name, settle: verdict.settle })
        if (verdict.flagged) flagged.push(...verdict.flagged)
        break
      case 'refuse':
        await settle({ kind: 'not-started', error: verdict.error })
        throw verdict.error
      case 'answer':
        if (verdict.settle) settles.push({ stage: stage.name, settle: verdict.settle })
        return { answer: { source: verdict.source, events: verdict.events }, flagged, settle }
      default:
        verdict satisfies never
    }
  }
  return { flagged, settle }
}

function asAppError(thrown: unknown, stage: string): AppError {
  if (isAppError(thrown)) return thrown
  return new AppError('internal_error', `Gate stage ${stage} failed`, { cause: thrown })
}
