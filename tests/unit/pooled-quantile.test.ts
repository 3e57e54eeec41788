import { describe, expect, it } from 'vitest'
import { pooledQuantile, tailOf } from '../../bench/gateway/pooled-quantile.ts'

// `count` latencies `step` ms apart, from `from` on.
const run = (from: number, count: number, step = 0.01) =>
  Array.from({ length: count }, (_, i) => from + i * step)
const exactQuantile = (samples: number[], share: number) =>
  [...samples].sort((a, b) => a - b)[Math.ceil(share * samples.length) - 1] as number

describe('pooledQuantile', () => {
  it('is the p99 of one run when there is one', () => {
    const samples = run(0, 10_000)
    expect(pooledQuantile([{ requests: 10_000, tail: tailOf(samples) }], 9900)).toBe(
      exactQuantile(samples, 0.99),
    )
  })

  it('is the p99 of every request of the runs together, not the worst run', () => {
    const quick = run(1, 20_000, 0.0001)
    // A short slice that caught a slow moment: alone, its p99 is far above the cell's.
    const slow = run(40, 100)
    const pooled = pooledQuantile(
      [
        { requests: quick.length, tail: tailOf(quick) },
        { requests: slow.length, tail: tailOf(slow) },
      ],
      9900,
    )
    const truth = exactQuantile([...quick, ...slow], 0.99)
    expect(pooled).toBeGreaterThanOrEqual(truth)
    // No lower than the truth, and within what a run's tail resolves (its p95 onwards).
    expect(pooled - truth).toBeLessThan(0.01)
    expect(pooled).toBeLessThan(exactQuantile(slow, 0.99))
  })

  it('errs high when a run is all above the answer', () => {
    const runs = [run(0, 1_000), run(5, 1_000)]
    const pooled = pooledQuantile(
      runs.map((samples) => ({ requests: samples.length, tail: tailOf(samples) })),
      9900,
    )
    expect(pooled).toBeGreaterThanOrEqual(exactQuantile(runs.flat(), 0.99))
  })
})
