import type { KvStore } from '../memory/kv-store.ts'
import type { Labels, MetricDescriptor } from './metric-registry.ts'
import type { MetricStore } from './metric-store.ts'
import { createSeriesTable, type SeriesState } from './series-table.ts'

/** Options of `createSharedMetricStore`. */
export interface SharedMetricStoreOptions {
  kv: KvStore
  /** Changes are batched and sent at most this often (each flush is one INCRBY per series). */
  flushIntervalMs: number
  /** Longest index of series names kept; older entries fall off. Default 20 000. */
  maxIndexEntries?: number
  now?: () => number
}

const indexKey = 'metrics:series'
// Redis counters are integers: values that may be fractional (seconds, dollars) are kept in
// billionths, exact to a nanosecond or a nano-dollar and far from overflowing 2^63.
const fractionScale = 1e9

/**
 * A metric store for Workers, where each scrape reaches a random isolate: every isolate adds
 * its changes into shared counters in the KvStore (Upstash Redis `INCRBY`) at most once per
 * flush interval, through `services.defer`, and a scrape reads the sums. Gauges are sums of
 * moves (+1 when a run starts, -1 when it ends), so they add up across isolates too.
 *
 * Each series' name and labels go into an index list the first time an isolate sees it; the
 * scrape reads that list, so it finds series no matter which isolate made them.
 */
export function createSharedMetricStore(options: SharedMetricStoreOptions): MetricStore {
  const { kv } = options
  const now = options.now ?? Date.now
  const maxIndex = options.maxIndexEntries ?? 20_000
  let pending = createSeriesTable()
  const indexed = new Set<string>()
  let lastFlush = now()
  let flushing: Promise<void> = Promise.resolve()

  async function send(states: SeriesState[]) {
    const fresh = states.map(seriesKey).filter((key) => !indexed.has(key))
    const writes: Promise<unknown>[] = []
    for (const state of states) {
      for (const [key, by] of increments(state)) {
        if (by !== 0) writes.push(kv.increment(key, by))
      }
    }
    await Promise.all(writes)
    if (fresh.length > 0) {
      await kv.append(indexKey, fresh)
      await kv.trim(indexKey, -maxIndex, -1)
      for (const key of fresh) indexed.add(key)
    }
  }

  const store: MetricStore = {
    record: (change) => pending.apply(change),
    flush(force = false) {
      if (!force && now() - lastFlush < options.flushIntervalMs) return flushing
      lastFlush = now()
      const states = pending.entries()
      pending = createSeriesTable()
      if (states.length === 0) return flushing
      flushing = flushing.then(() => send(states))
      return flushing
    },
    async render(metrics) {
      await store.flush(true)
      const byName = new Map(metrics.map((m) => [m.name, m]))
      const keys = [...new Set(await kv.range<string>(indexKey, 0, -1))]
      const table = createSeriesTable()
      await Promise.all(
        keys.map(async (key) => {
          const parsed = parseSeriesKey(key)
          const metric = parsed && byName.get(parsed.name)
          if (!parsed || !metric) return
          const state = table.stateOf(metric, parsed.labels)
          const read = async (suffix: string, scale: number) =>
            ((await kv.get<number>(`${key}${suffix}`)) ?? 0) / scale
          if (metric.type !== 'histogram') {
            state.value = await read('', scaleOf(metric))
            return
          }
          state.buckets = await Promise.all(state.buckets.map((_, i) => read(`#b${i}`, 1)))
          state.sum = await read('#sum', scaleOf(metric))
          state.count = await read('#count', 1)
        }),
      )
      return table.render(metrics)
    },
  }
  return store
}

function scaleOf(metric: MetricDescriptor): number {
  return metric.integer ? 1 : fractionScale
}

function seriesKey(state: SeriesState): string {
  return `metrics:v:${JSON.stringify([state.metric.name, state.labels])}`
}

function parseSeriesKey(key: string): { name: string; labels: Labels } | undefined {
  try {
    const [name, labels] = JSON.parse(key.slice('metrics:v:'.length)) as [string, Labels]
    return typeof name === 'string' && labels && typeof labels === 'object'
      ? { name, labels }
      : undefined
  } catch {
    return undefined
  }
}

function increments(state: SeriesState): Array<[string, number]> {
  const key = seriesKey(state)
  const scale = scaleOf(state.metric)
  if (state.metric.type !== 'histogram') return [[key, Math.round(state.value * scale)]]
  return [
    ...state.buckets.map((n, i): [string, number] => [`${key}#b${i}`, n]),
    [`${key}#sum`, Math.round(state.sum * scale)],
    [`${key}#count`, state.count],
  ]
}
