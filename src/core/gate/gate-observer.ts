import type { GateOutcome } from './gate-stage.ts'
import type { ModelWork } from './model-work.ts'
import type { RequestContext } from './request-context.ts'

/** One gated request as an observer follows it. */
export interface GateObservation {
  /** Runs the stages and the start of the run inside the observation (a span's context). */
  within<T>(body: () => Promise<T>): Promise<T>
  /** The request's end: its run is final, or it never started. Called exactly once. */
  end(outcome: GateOutcome): void
}

/**
 * Watches every request that passes the gate (telemetry, composed at the root). Unlike a
 * stage it wraps the whole of the gate's work, so what the run starts can be its child.
 */
export type GateObserver = (context: RequestContext, work: ModelWork) => GateObservation
