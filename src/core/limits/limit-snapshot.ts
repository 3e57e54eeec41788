/** The policies a response may report, one per kind of limit. */
export const limitPolicies = ['rpm', 'tpm', 'concurrent', 'usd-day', 'usd-month'] as const

/** One policy's name, as it appears in `RateLimit-Policy` and `RateLimit` headers. */
export type LimitPolicyName = (typeof limitPolicies)[number]

/** What a policy counts. Spend is counted in micro-dollars, so quotas stay integers. */
export type QuotaUnit = 'requests' | 'tokens' | 'concurrent-requests' | 'usd-micros'

/**
 * Where one limit stood for a request: what headers (IETF `RateLimit`, OpenAI's
 * `x-ratelimit-*`) and `/api/usage` report. Seconds are whole and relative to the answer.
 */
export interface LimitSnapshot {
  policy: LimitPolicyName
  unit: QuotaUnit
  quota: number
  /** The window in seconds; absent for concurrent runs (no window). */
  windowSeconds?: number
  remaining: number
  /** Seconds until the quota is back (the window slides or the period ends). */
  resetSeconds: number
}

/** Whole seconds from now until `at` (epoch ms), at least 0. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(Math.ceil((at - now) / 1000), 0)
}
