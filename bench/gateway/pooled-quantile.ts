/**
 * The latency tail of one load run: its quantiles (ms) from the 95th percentile to the
 * maximum, one per basis point (`tail[k]` is the `(9500 + k) / 100` percentile). wrk reports
 * percentiles, not its samples, and this is how much of them a pooled p99 needs.
 */
export const TAIL_FROM_BP = 9500
export const TAIL_POINTS = 10_000 - TAIL_FROM_BP + 1

/** A run's tail from its samples (ms, any order): what wrk's percentiles give. */
export function tailOf(samples: readonly number[]): number[] {
  const sorted = [...samples].sort((a, b) => a - b)
  const tail: number[] = []
  for (let k = 0; k < TAIL_POINTS; k++) {
    const share = (TAIL_FROM_BP + k) / 10_000
    tail.push(sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0)
  }
  return tail
}

/**
 * The `bp` quantile (in basis points: 9900 is the p99) of all the requests of several runs
 * together, from each run's tail. At a latency x, a run counts the share of its requests its
 * tail puts at or below x, and none below its tail's start (so the answer errs high, never
 * low). The p99 of one 4-second slice swings with a single slow moment of a shared machine,
 * and the worst of several slices swings most; pooled, every request of the cell counts once.
 */
export function pooledQuantile(
  runs: readonly { requests: number; tail: readonly number[] }[],
  bp: number,
): number {
  const total = runs.reduce((sum, run) => sum + run.requests, 0)
  const candidates = runs.flatMap((run) => run.tail).sort((a, b) => a - b)
  for (const x of candidates) {
    let within = 0
    for (const run of runs) {
      // The last point of the tail at or below x (the tail is in ascending order).
      let k = -1
      for (let lo = 0, hi = run.tail.length - 1; lo <= hi; ) {
        const mid = (lo + hi) >> 1
        if ((run.tail[mid] as number) <= x) {
          k = mid
          lo = mid + 1
        } else hi = mid - 1
      }
      if (k >= 0) within += run.requests * (TAIL_FROM_BP + k)
    }
    if (within >= bp * total) return x
  }
  return candidates.at(-1) ?? 0
}
