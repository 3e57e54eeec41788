import { randomUUID } from 'node:crypto'
import { Redis } from '@upstash/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import type { KvStore } from '../../../src/core/memory/kv-store.ts'
import { createUpstashRedisKvStore } from '../../../src/core/memory/upstash-redis-kv-store.ts'
import { createOutpostMetrics } from '../../../src/core/telemetry/outpost-metrics.ts'
import { createSharedMetricStore } from '../../../src/core/telemetry/shared-metric-store.ts'
import { promtoolAvailable, promtoolCheck } from '../../support/promtool.ts'
import { serviceAvailable } from '../../support/services.ts'
import {
  startUpstashRedisBridge,
  type UpstashRedisBridge,
} from '../../support/upstash-redis-bridge.ts'

const redisUp = await serviceAvailable('redis')
const hasPromtool = promtoolAvailable()

/** The value of one series, or 0 when it is absent. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line ? Number(line.slice(series.length + 1)) : 0
}

/** Three Workers isolates sharing one KV store; a scrape may reach any of them. */
function sharedMetricsContract(name: string, makeKv: () => KvStore) {
  describe(`shared metrics over ${name}`, () => {
    let clock = 0
    const isolates = () => {
      const kv = makeKv()
      return [1, 2, 3].map(() =>
        createOutpostMetrics(
          createSharedMetricStore({ kv, flushIntervalMs: 10_000, now: () => clock }),
        ),
      )
    }

    it('adds up counters, histograms and gauges from every isolate', async () => {
      const [a, b, c] = isolates()
      const labels = { method: 'GET', route: '/c/:id', status: '200' }
      a?.httpRequestDuration.observe(labels, 0.003)
      b?.httpRequestDuration.observe(labels, 0.2)
      b?.httpRequestDuration.observe(labels, 7)
      a?.cost.add({ model: 'openai:gpt-5-mini' }, 0.0000015)
      c?.cost.add({ model: 'openai:gpt-5-mini' }, 0.25)
      a?.activeRuns.add({}, 1)
      b?.activeRuns.add({}, 1)
      c?.activeRuns.add({}, -1)
      clock += 10_000
      await Promise.all([a?.flush(), b?.flush()])
      // c has not flushed yet (its interval is not over for it): a scrape on c sends first.
      for (const scraped of [await c?.render(), await a?.render()]) {
        const text = scraped ?? ''
        const series = 'outpost_http_request_duration_seconds'
        const l = '{method="GET",route="/c/:id",status="200"}'
        expect(value(text, `${series}_count${l}`)).toBe(3)
        expect(value(text, `${series}_sum${l}`)).toBeCloseTo(7.203, 9)
        expect(
          value(text, `${series}_bucket{method="GET",route="/c/:id",status="200",le="0.005"}`),
        ).toBe(1)
        expect(
          value(text, `${series}_bucket{method="GET",route="/c/:id",status="200",le="0.25"}`),
        ).toBe(2)
        expect(
          value(text, `${series}_bucket{method="GET",route="/c/:id",status="200",le="+Inf"}`),
        ).toBe(3)
        expect(
          value(text, 'outpost_model_cost_dollars_total{model="openai:gpt-5-mini"}'),
        ).toBeCloseTo(0.2500015, 9)
        expect(value(text, 'outpost_active_runs')).toBe(1)
      }
    })

    it('waits for the flush interval, unless forced', async () => {
      const [a, b] = isolates()
      a?.tokens.add({ model: 'm', type: 'input' }, 5)
      await a?.flush()
      const early = await b?.render()
      expect(value(early ?? '', 'outpost_model_tokens_total{model="m",type="input"}')).toBe(0)
      clock += 10_000
      await a?.flush()
      const later = await b?.render()
      expect(value(later ?? '', 'outpost_model_tokens_total{model="m",type="input"}')).toBe(5)
    })

    it.skipIf(!hasPromtool)('renders what promtool accepts', async () => {
      const [a] = isolates()
      a?.toolCalls.add({ tool: 'calculator', outcome: 'ok' })
      a?.modelTimeToFirstToken.observe({ provider: 'openai', model: 'openai:x' }, 0.4)
      const verdict = promtoolCheck((await a?.render()) ?? '')
      expect(verdict.output).toBe('')
    })
  })
}

sharedMetricsContract('the in-memory KV store', () => createInMemoryKvStore())

describe.skipIf(!redisUp)('with the real Redis', () => {
  let bridge: UpstashRedisBridge
  const prefix = `test:metrics:${randomUUID()}:`
  let redis: Redis
  let runs = 0
  beforeAll(async () => {
    bridge = await startUpstashRedisBridge()
    redis = new Redis({ url: bridge.url, token: bridge.token, automaticDeserialization: false })
  })
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    await bridge?.close()
  })
  sharedMetricsContract('Upstash Redis (INCRBY)', () =>
    createUpstashRedisKvStore({ redis, prefix: `${prefix}${++runs}:` }),
  )
})
