import { describe, expect, it } from 'vitest'
import { createMetricRegistry } from '../../../src/core/telemetry/metric-registry.ts'
import { createLocalMetricStore } from '../../../src/core/telemetry/metric-store.ts'

describe('the metric registry and the text format', () => {
  it('renders counters, gauges and cumulative histogram buckets, escaping label values', async () => {
    const store = createLocalMetricStore()
    const registry = createMetricRegistry(store)
    const requests = registry.counter({
      name: 'x_requests_total',
      help: 'Requests.\nWith a "second" line \\ and a backslash.',
      labelNames: ['route'],
    })
    const open = registry.gauge({ name: 'x_open', help: 'Open things.', labelNames: [] })
    const latency = registry.histogram({
      name: 'x_seconds',
      help: 'Latency.',
      labelNames: ['route'],
      buckets: [0.1, 1],
    })
    requests.add({ route: 'a "quoted"\\path\nnewline' })
    requests.add({ route: '/c/:id' }, 2)
    requests.add({ route: '/c/:id' }, 0) // counters never move by zero or less
    open.add({}, 2)
    open.add({}, -1)
    for (const seconds of [0.05, 0.5, 0.7, 3]) latency.observe({ route: '/' }, seconds)
    expect(await store.render(registry.metrics)).toBe(
      [
        '# HELP x_requests_total Requests.\\nWith a "second" line \\\\ and a backslash.',
        '# TYPE x_requests_total counter',
        'x_requests_total{route="a \\"quoted\\"\\\\path\\nnewline"} 1',
        'x_requests_total{route="/c/:id"} 2',
        '# HELP x_open Open things.',
        '# TYPE x_open gauge',
        'x_open 1',
        '# HELP x_seconds Latency.',
        '# TYPE x_seconds histogram',
        'x_seconds_bucket{route="/",le="0.1"} 1',
        'x_seconds_bucket{route="/",le="1"} 3',
        'x_seconds_bucket{route="/",le="+Inf"} 4',
        'x_seconds_sum{route="/"} 4.25',
        'x_seconds_count{route="/"} 4',
        '',
      ].join('\n'),
    )
  })

  it('refuses a missing label and a metric declared twice', () => {
    const registry = createMetricRegistry(createLocalMetricStore())
    const counter = registry.counter({ name: 'y_total', help: 'Y.', labelNames: ['kind'] })
    expect(() => counter.add({})).toThrow(/no label kind/)
    expect(() => registry.gauge({ name: 'y_total', help: 'Again.', labelNames: [] })).toThrow(
      /declared twice/,
    )
  })

  it('keeps series apart by every label, in declared order, however the values split', async () => {
    const store = createLocalMetricStore()
    const registry = createMetricRegistry(store)
    const calls = registry.counter({ name: 'y_total', help: 'Calls.', labelNames: ['a', 'b'] })
    calls.add({ a: 'x', b: 'yz' })
    calls.add({ b: 'z', a: 'xy' })
    calls.add({ a: 'x', b: 'yz' }, 2)
    expect(await store.render(registry.metrics)).toBe(
      [
        '# HELP y_total Calls.',
        '# TYPE y_total counter',
        'y_total{a="x",b="yz"} 3',
        'y_total{a="xy",b="z"} 1',
        '',
      ].join('\n'),
    )
  })
})
