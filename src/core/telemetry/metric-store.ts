import type { MetricChange, MetricDescriptor, MetricSink } from './metric-registry.ts'
import { createSeriesTable } from './series-table.ts'

/**
 * Keeps metric values and renders them in the Prometheus text format. The local store is one
 * process's memory (Bun, Deno, Node); the shared store aggregates every Workers isolate in the
 * KvStore (see `createSharedMetricStore`).
 */
export interface MetricStore extends MetricSink {
  /** The text exposition of `metrics`, every declared metric listed even without series. */
  render(metrics: readonly MetricDescriptor[]): Promise<string>
  /**
   * Sends changes made since the last flush to where they are shared; a no-op for the local
   * store. `force` ignores the flush interval.
   */
  flush(force?: boolean): Promise<void>
}

/** A metric store in this process's memory: what one server process scrapes. */
export function createLocalMetricStore(): MetricStore {
  const table = createSeriesTable()
  return {
    record: (change: MetricChange) => table.apply(change),
    render: async (metrics) => table.render(metrics),
    flush: async () => {},
  }
}
