import { describe, expect, it } from 'vitest'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import { observeRunLog } from '../../../src/core/observe/observe-run-log.ts'
import { createRunLog } from '../../../src/core/runs/run-log.ts'
import { createLocalMetricStore } from '../../../src/core/telemetry/metric-store.ts'
import { createOutpostMetrics } from '../../../src/core/telemetry/outpost-metrics.ts'

describe('observeRunLog', () => {
  it("hands an append's lifetime on: a short-lived run's events expire with the run", async () => {
    let now = 0
    const kv = createInMemoryKvStore({ now: () => now })
    const metrics = createOutpostMetrics(createLocalMetricStore())
    const runLog = observeRunLog(createRunLog({ kv, now: () => now, ttlMs: 3_600_000 }), metrics)
    const run = await runLog.create({ ttlMs: 60_000 })
    await runLog.append(run.id, [{ type: 'text-delta', step: 1, text: 'hi' }], { ttlMs: 60_000 })
    now = 60_000
    expect(await runLog.read(run.id)).toEqual([])
  })

  it('counts active runs from creation to finish', async () => {
    const metrics = createOutpostMetrics(createLocalMetricStore())
    const runLog = observeRunLog(createRunLog({ kv: createInMemoryKvStore() }), metrics)
    const run = await runLog.create()
    expect(await metrics.render()).toMatch(/outpost_active_runs\S* 1\b/)
    await runLog.finish(run.id, 'completed')
    expect(await metrics.render()).toMatch(/outpost_active_runs\S* 0\b/)
  })
})
