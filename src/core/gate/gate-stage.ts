import type { AgentEvent } from '../agent/agent-event.ts'
import type { AppError } from '../errors.ts'
import type { FlaggedInput } from '../guards/injection/inspect-inputs.ts'
import type { RunOutcome } from '../runs/run-recorder.ts'
import type { ModelWork } from './model-work.ts'
import type { RequestContext } from './request-context.ts'

/**
 * How a gated request ended, as a stage's `settle` hears it: the run finished (with its
 * status and usage), or no run started (a later stage refused, or starting failed).
 */
export type GateOutcome =
  | ({ kind: 'finished' } & RunOutcome)
  | { kind: 'not-started'; error: AppError }

/** Called once after the work ends, whatever happened; for settling reservations, metrics. */
export type Settle = (outcome: GateOutcome) => void | Promise<void>

/**
 * What a stage decides about one request:
 * - `continue`: let the next stage (then the run) have it;
 * - `refuse`: stop here; `error` goes to the client in its surface's dialect (a 429 carries
 *   `Retry-After` when the error has `retryAfterSeconds`);
 * - `answer`: the answer comes from elsewhere (a cache, another run): its events replace the
 *   model's, later stages are skipped, and the run is recorded as usual.
 * `continue` and `answer` may carry a `settle`, called after the run. `continue` may carry the
 * inputs an inspecting stage flagged: the run hands them to the model wrapped as untrusted
 * data and reports each with a `guard` event.
 */
export type StageVerdict =
  | { kind: 'continue'; settle?: Settle; flagged?: readonly FlaggedInput[] }
  | { kind: 'refuse'; error: AppError }
  | { kind: 'answer'; source: string; events: AsyncIterable<AgentEvent>; settle?: Settle }

/**
 * One step every request for model work passes before the run: limits, input inspection,
 * reuse, observation. Stages are composed, in order, at the composition root
 * (`createServices(config, platform, { stages })`). `check` must not throw for expected
 * outcomes (return `refuse`); a thrown error refuses too, as itself.
 */
export interface GateStage {
  readonly name: string
  check(context: RequestContext, work: ModelWork): StageVerdict | Promise<StageVerdict>
}
