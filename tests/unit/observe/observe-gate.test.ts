import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/core/errors.ts'
import { observeGate } from '../../../src/core/observe/observe-gate.ts'
import { createLocalMetricStore } from '../../../src/core/telemetry/metric-store.ts'
import { createOutpostMetrics } from '../../../src/core/telemetry/outpost-metrics.ts'

const request = {
  principal: { userId: 'u1', kind: 'api-key' },
  surface: 'rest',
  requestId: 'r1',
} as const

describe('observeGate', () => {
  it('counts refusals by the limit they name, and nothing for other outcomes', async () => {
    const metrics = createOutpostMetrics(createLocalMetricStore())
    const observe = observeGate({ metrics })
    const refuse = (code: 'rate_limited' | 'budget_exhausted' | 'text_invalid') =>
      observe(request as never, { kind: 'message', content: 'hi' }).end({
        kind: 'not-started',
        error: new AppError(code, 'no', { status: 429 }),
      })
    refuse('rate_limited')
    refuse('rate_limited')
    refuse('budget_exhausted')
    refuse('text_invalid')
    const observation = observe(request as never, { kind: 'message', content: 'hi' })
    expect(await observation.within(async () => 42)).toBe(42)
    observation.end({ kind: 'finished', runId: 'run1', status: 'completed' } as never)
    const text = await metrics.render()
    expect(text).toContain('outpost_limit_refusals_total{limit="requests"} 2')
    expect(text).toContain('outpost_limit_refusals_total{limit="spend"} 1')
    // A refusal that is not a limit's (bad text) adds no series.
    expect(text.match(/^outpost_limit_refusals_total\{/gm)).toHaveLength(2)
  })
})
