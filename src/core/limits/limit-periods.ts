import type { BudgetPeriod, SlidingWindow } from './limiter.ts'

/** The counters a period's usage is read from at `now`, and how much each one counts. */
export interface PeriodBuckets {
  /** The bucket new amounts go to. */
  current: string
  /** The bucket before it, weighted by how much of it the sliding window still covers. */
  previous?: { key: string; weight: number }
  /** When the current bucket's period ends (epoch ms). */
  reset: number
  /** How long a bucket must live to be read as `previous` later. */
  ttlMs: number
  /** How far into the current bucket `now` is (ms). */
  elapsed: number
  /** Length of a bucket (ms); a calendar month's is its own. */
  length: number
}

const day = 24 * 3600_000

/**
 * The buckets of a period. A sliding window is two fixed buckets, the older one weighted by
 * the share of it still inside the window (the approximation `@upstash/ratelimit` uses: one
 * counter per bucket instead of one entry per request). Calendar periods are one bucket per
 * UTC day or month.
 */
export function periodBuckets(prefix: string, period: BudgetPeriod, now: number): PeriodBuckets {
  if (period.kind === 'sliding') return slidingBuckets(prefix, period, now)
  const date = new Date(now)
  const year = date.getUTCFullYear()
  const month = date.getUTCMonth()
  if (period.unit === 'day') {
    const start = Date.UTC(year, month, date.getUTCDate())
    const label = date.toISOString().slice(0, 10)
    return {
      current: `${prefix}:${label}`,
      reset: start + day,
      ttlMs: 2 * day,
      elapsed: now - start,
      length: day,
    }
  }
  const start = Date.UTC(year, month, 1)
  const end = Date.UTC(year, month + 1, 1)
  const label = date.toISOString().slice(0, 7)
  return {
    current: `${prefix}:${label}`,
    reset: end,
    ttlMs: end - now + day,
    elapsed: now - start,
    length: end - start,
  }
}

function slidingBuckets(prefix: string, window: SlidingWindow, now: number): PeriodBuckets {
  const index = Math.floor(now / window.ms)
  const elapsed = now - index * window.ms
  return {
    current: `${prefix}:${index}`,
    previous: { key: `${prefix}:${index - 1}`, weight: 1 - elapsed / window.ms },
    reset: (index + 1) * window.ms,
    ttlMs: 2 * window.ms + 1000,
    elapsed,
    length: window.ms,
  }
}

/**
 * How long until `need` more fits under `cap`, given what the current and previous buckets
 * hold: the weighted previous bucket shrinks as the window slides; what the current bucket
 * holds only starts shrinking once it becomes the previous one.
 */
export function retryAfterMs(
  buckets: PeriodBuckets,
  previous: number,
  current: number,
  need: number,
  cap: number,
): number {
  const toReset = buckets.length - buckets.elapsed
  if (!buckets.previous) return toReset
  const room = cap - need - current
  if (room < 0 || previous <= 0) return toReset
  const wait = Math.ceil(buckets.length * (1 - room / previous)) - buckets.elapsed
  return Math.min(Math.max(wait, 1), toReset)
}
