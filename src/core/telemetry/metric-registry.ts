/** Label names and values of one series. */
export type Labels = Readonly<Record<string, string>>

/** The kinds of series Prometheus knows that we use. */
export type MetricType = 'counter' | 'gauge' | 'histogram'

/** What a metric is: its name (counters end in `_total`), help text, labels and buckets. */
export interface MetricDescriptor {
  name: string
  help: string
  type: MetricType
  labelNames: readonly string[]
  /** Upper bounds of a histogram's buckets, ascending; `+Inf` is implied. */
  buckets?: readonly number[]
  /** Values are whole numbers (request counts); others are kept scaled when shared. */
  integer?: boolean
}

/**
 * One change to a series, as the registry hands it to a sink: a counter or gauge moved by
 * `value`, or a histogram observed `value` (which bumps one bucket, `_sum` and `_count`).
 */
export interface MetricChange {
  metric: MetricDescriptor
  labels: Labels
  value: number
}

/** A counter: only goes up. */
export interface Counter {
  add(labels?: Labels, value?: number): void
}

/** A gauge that moves up and down (kept as a sum of moves, so isolates can share it). */
export interface Gauge {
  add(labels?: Labels, value?: number): void
}

/** A histogram of observed values (seconds, tokens...). */
export interface Histogram {
  observe(labels: Labels, value: number): void
}

/**
 * Where metric changes go: the in-process store (`createLocalMetricStore`) or a shared one
 * that aggregates across Workers isolates (`createSharedMetricStore`). Both render the
 * Prometheus text format.
 */
export interface MetricSink {
  record(change: MetricChange): void
}

/**
 * Declares metrics and forwards every change to the sink. Label sets are checked against the
 * declared names, so a typo fails in tests instead of creating a stray series.
 */
export function createMetricRegistry(sink: MetricSink) {
  const metrics: MetricDescriptor[] = []
  const declare = (descriptor: MetricDescriptor) => {
    if (metrics.some((m) => m.name === descriptor.name)) {
      throw new TypeError(`metric ${descriptor.name} declared twice`)
    }
    metrics.push(descriptor)
    return (labels: Labels = {}, value = 1) => {
      for (const name of descriptor.labelNames) {
        if (labels[name] === undefined) throw new TypeError(`${descriptor.name}: no label ${name}`)
      }
      sink.record({ metric: descriptor, labels, value })
    }
  }
  return {
    metrics: metrics as readonly MetricDescriptor[],
    counter(descriptor: Omit<MetricDescriptor, 'type'>): Counter {
      const add = declare({ ...descriptor, type: 'counter' })
      return {
        add: (labels, value = 1) => {
          if (value > 0) add(labels, value)
        },
      }
    },
    gauge(descriptor: Omit<MetricDescriptor, 'type'>): Gauge {
      const add = declare({ ...descriptor, type: 'gauge' })
      return { add: (labels, value = 1) => add(labels, value) }
    },
    histogram(descriptor: Omit<MetricDescriptor, 'type'> & { buckets: readonly number[] }) {
      const observe = declare({ ...descriptor, type: 'histogram' })
      return { observe: (labels, value) => observe(labels, value) } satisfies Histogram
    },
  }
}

/** The bucket a histogram observation falls in: the index of its upper bound, or `+Inf`. */
export function bucketOf(buckets: readonly number[], value: number): number {
  const at = buckets.findIndex((bound) => value <= bound)
  return at === -1 ? buckets.length : at
}

/** A series' identity: its labels in declared order, as the text format writes them. */
export function labelText(metric: MetricDescriptor, labels: Labels, extra = ''): string {
  const parts = metric.labelNames.map((name) => `${name}="${escapeLabel(labels[name] ?? '')}"`)
  if (extra) parts.push(extra)
  return parts.length > 0 ? `{${parts.join(',')}}` : ''
}

function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))
}

/** The `# HELP` and `# TYPE` lines of a metric. */
export function headerLines(metric: MetricDescriptor): string[] {
  const help = metric.help.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'))
  return [`# HELP ${metric.name} ${help}`, `# TYPE ${metric.name} ${metric.type}`]
}

/** A number as the text format writes it. */
export function formatValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf'
  if (value === Number.NEGATIVE_INFINITY) return '-Inf'
  if (Number.isNaN(value)) return 'NaN'
  return String(value)
}
