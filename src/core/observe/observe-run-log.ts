import type { AgentEvent } from '../agent/agent-event.ts'
import type { RunLog } from '../runs/run-log.ts'
import type { OutpostMetrics } from '../telemetry/outpost-metrics.ts'

/**
 * Wraps the run log, the one path every run's events take, to count active runs (started and
 * not finished) and fallbacks (the `retry` events of a turn).
 */
export function observeRunLog(inner: RunLog, metrics: OutpostMetrics): RunLog {
  const countFallbacks = (events: readonly AgentEvent[]) => {
    for (const event of events) {
      if (event.type === 'retry') metrics.fallbacks.add({ from: event.from, to: event.to })
    }
  }
  return {
    ...inner,
    async create(options) {
      const run = await inner.create(options)
      metrics.activeRuns.add({}, 1)
      return run
    },
    async append(runId, events, options) {
      countFallbacks(events)
      return inner.append(runId, events, options)
    },
    async finish(runId, status, events) {
      if (events) countFallbacks(events)
      try {
        await inner.finish(runId, status, events)
      } finally {
        metrics.activeRuns.add({}, -1)
      }
    },
  }
}
