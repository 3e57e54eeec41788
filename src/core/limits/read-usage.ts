import { periodBuckets } from './limit-periods.ts'
import type { LimitPolicy } from './limit-policy.ts'
import type { BudgetPeriod, Limiter, SlidingWindow } from './limiter.ts'

/** One counter of a caller's usage: what is used, the limit (null: none) and when it resets. */
export interface UsageCounter {
  used: number
  limit: number | null
  /** Epoch ms when the period ends (a sliding window's current bucket ends). */
  resetsAt: number
}

/** A caller's usage in the current periods, with the limits that apply to it. */
export interface UsageReport {
  /** The counters' owner: `key:ID` for an API key, `guest:ID` for a guest. */
  identity: string
  requestsPerMinute: UsageCounter
  tokensPerMinute: UsageCounter
  concurrentRuns: Omit<UsageCounter, 'resetsAt'>
  /** Spend in US dollars. */
  usdToday: UsageCounter
  usdThisMonth: UsageCounter
}

const minute: SlidingWindow = { kind: 'sliding', ms: 60_000 }
const day: BudgetPeriod = { kind: 'calendar', unit: 'day' }
const month: BudgetPeriod = { kind: 'calendar', unit: 'month' }

/**
 * Reads where the counters of `identity` stand under `policy` (its effective limits), without
 * counting anything. Rejects with `StoreError`.
 */
export async function readUsage(
  limiter: Limiter,
  identity: string,
  policy: LimitPolicy,
  now: number = Date.now(),
): Promise<UsageReport> {
  const [requests, tokens, slots, usdDay, usdMonth] = await Promise.all([
    limiter.peekHits(identity, minute),
    limiter.peekBudget(identity, 'tpm', minute),
    limiter.peekSlots(identity),
    limiter.peekBudget(identity, 'usd', day),
    limiter.peekBudget(identity, 'usd', month),
  ])
  const resets = (period: BudgetPeriod) => periodBuckets('', period, now).reset
  const dollars = (micros: number) => Math.round(micros) / 1_000_000
  return {
    identity,
    requestsPerMinute: { used: requests, limit: policy.rpm ?? null, resetsAt: resets(minute) },
    tokensPerMinute: { used: tokens, limit: policy.tpm ?? null, resetsAt: resets(minute) },
    concurrentRuns: { used: slots, limit: policy.concurrent ?? null },
    usdToday: { used: dollars(usdDay), limit: policy.usdPerDay ?? null, resetsAt: resets(day) },
    usdThisMonth: {
      used: dollars(usdMonth),
      limit: policy.usdPerMonth ?? null,
      resetsAt: resets(month),
    },
  }
}
