import {
  bucketOf,
  formatValue,
  headerLines,
  type Labels,
  labelText,
  type MetricChange,
  type MetricDescriptor,
} from './metric-registry.ts'

/** The state of one series: a value, or a histogram's per-bucket counts, sum and count. */
export interface SeriesState {
  metric: MetricDescriptor
  labels: Labels
  /** Counter or gauge value. */
  value: number
  /** Histogram: observations per bucket (not cumulative), the last one is `+Inf`. */
  buckets: number[]
  sum: number
  count: number
}

/** Label value -> the next label's node, or (after the last label) the series. */
type SeriesNode = Map<string, SeriesNode | SeriesState>

/**
 * Series by metric and labels, in the order they were first seen: what the local store keeps,
 * and what the shared store batches between flushes. Renders the Prometheus text format.
 */
export function createSeriesTable() {
  const series = new Map<string, SeriesState>()
  // Every change looks its series up: by the label values in declared order, one map per
  // label, so the hot path builds no key text (escaping and joining the labels was 3% of a
  // request's CPU); the text key is made once, when a series is first seen.
  const index = new Map<string, SeriesNode>()

  const stateOf = (metric: MetricDescriptor, labels: Labels): SeriesState => {
    let node = index.get(metric.name)
    if (!node) {
      node = new Map()
      index.set(metric.name, node)
    }
    const names = metric.labelNames
    for (let i = 0; i < names.length - 1; i++) {
      const value = labels[names[i] as string] ?? ''
      let next = node.get(value) as SeriesNode | undefined
      if (!next) {
        next = new Map()
        node.set(value, next)
      }
      node = next
    }
    const last = names.length > 0 ? (labels[names[names.length - 1] as string] ?? '') : ''
    let state = node.get(last) as SeriesState | undefined
    if (!state) {
      state = {
        metric,
        labels,
        value: 0,
        buckets: new Array((metric.buckets?.length ?? 0) + 1).fill(0),
        sum: 0,
        count: 0,
      }
      node.set(last, state)
      series.set(`${metric.name}${labelText(metric, labels)}`, state)
    }
    return state
  }

  return {
    stateOf,
    apply({ metric, labels, value }: MetricChange): void {
      const state = stateOf(metric, labels)
      if (metric.type !== 'histogram') {
        state.value += value
        return
      }
      const at = bucketOf(metric.buckets ?? [], value)
      state.buckets[at] = (state.buckets[at] ?? 0) + 1
      state.sum += value
      state.count += 1
    },
    /** Every series, for flushing; `clear` empties the table afterwards. */
    entries: () => [...series.values()],
    clear: () => {
      series.clear()
      index.clear()
    },
    /** The text format for `metrics`: each declared metric once, even with no series yet. */
    render(metrics: readonly MetricDescriptor[]): string {
      const lines: string[] = []
      for (const metric of metrics) {
        lines.push(...headerLines(metric))
        for (const state of series.values()) {
          if (state.metric.name !== metric.name) continue
          lines.push(...seriesLines(state))
        }
      }
      return `${lines.join('\n')}\n`
    },
  }
}

/** The type of `createSeriesTable`'s result. */
export type SeriesTable = ReturnType<typeof createSeriesTable>

function seriesLines(state: SeriesState): string[] {
  const { metric, labels } = state
  if (metric.type !== 'histogram') {
    return [`${metric.name}${labelText(metric, labels)} ${formatValue(state.value)}`]
  }
  const bounds = [...(metric.buckets ?? []), Number.POSITIVE_INFINITY]
  let cumulative = 0
  const lines = bounds.map((bound, i) => {
    cumulative += state.buckets[i] ?? 0
    const le = `le="${formatValue(bound)}"`
    return `${metric.name}_bucket${labelText(metric, labels, le)} ${cumulative}`
  })
  lines.push(`${metric.name}_sum${labelText(metric, labels)} ${formatValue(state.sum)}`)
  lines.push(`${metric.name}_count${labelText(metric, labels)} ${state.count}`)
  return lines
}
