import { context, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api'
import type { GateObserver } from '../gate/gate-observer.ts'
import type { GateOutcome } from '../gate/gate-stage.ts'
import type { OutpostMetrics } from '../telemetry/outpost-metrics.ts'

// The refusals the admit stage gives, by the limit they name (the metric's `limit` label).
const limitByCode: Record<string, string> = {
  rate_limited: 'requests',
  tokens_rate_limited: 'tokens',
  concurrency_limited: 'concurrent_runs',
  budget_exhausted: 'spend',
  limits_unavailable: 'store_down',
}

/**
 * The gate as telemetry sees it: with tracing on, a `gate {work}` span around the stages and
 * the start of the run, active while the run starts, so the model and tool spans of the run
 * (which lives on in the background) are its children, and ended when the run is final. Every
 * refusal by a limit is counted, traced or not.
 */
export function observeGate(options: { tracer?: Tracer; metrics: OutpostMetrics }): GateObserver {
  const { tracer, metrics } = options
  return (request, work) => {
    const span = tracer?.startSpan(`gate ${work.kind}`, {
      kind: SpanKind.INTERNAL,
      attributes: { 'outpost.surface': request.surface, 'outpost.work': work.kind },
    })
    const active = span ? trace.setSpan(context.active(), span) : undefined
    return {
      within: (body) => (active ? context.with(active, body) : body()),
      end(outcome: GateOutcome) {
        if (outcome.kind === 'not-started') {
          const limit = limitByCode[outcome.error.code]
          if (limit) metrics.limitRefusals.add({ limit })
        }
        if (!span) return
        if (outcome.kind === 'finished') {
          span.setAttribute('outpost.run.id', outcome.runId)
          span.setAttribute('outpost.run.status', outcome.status)
          if (outcome.status === 'failed') span.setStatus({ code: SpanStatusCode.ERROR })
        } else {
          span.setAttribute('error.type', outcome.error.code)
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.code })
        }
        span.end()
      },
    }
  }
}
