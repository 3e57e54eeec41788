import type { RunLog } from '../runs/run-log.ts'
import type { OutpostMetrics } from '../telemetry/outpost-metrics.ts'

/**
 * Wraps the run log, the one path every run's events take, to count active runs (started and
 * not finished) and fallbacks (the `retry` events of a turn).
 */
export function observeRunLog(inner: RunLog, metrics: OutpostMetrics): RunLog {
  return {
    ...inner,
    async create(options) {
      const run = await inner.create(options)
      metrics.activeRuns.add({}, 1)
      return run
    },
    async append(runId, events, options) {
      for (const event of events) {
        if (event.type === 'retry') metrics.fallbacks.add({ from: event.from, to: event.to })
      }
      return inner.append(runId, events, options)
    },
    async finish(runId, status) {
      try {
        await inner.finish(runId, status)
      } finally {
        metrics.activeRuns.add({}, -1)
      }
    },
  }
}
