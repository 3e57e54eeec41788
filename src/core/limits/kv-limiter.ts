import type { KvStore } from '../memory/kv-store.ts'
import { type PeriodBuckets, periodBuckets, retryAfterMs } from './limit-periods.ts'
import type {
  BudgetPeriod,
  Limiter,
  LimitVerdict,
  Reservation,
  ReserveVerdict,
  SlidingWindow,
  Slot,
  SlotVerdict,
} from './limiter.ts'

/** Options of `createKvLimiter`. */
export interface KvLimiterOptions {
  kv: KvStore
  /** Prepended to every counter's key. Default `limits:`. */
  prefix?: string
  /** Clock in epoch ms; tests move it. Default `Date.now`. */
  now?: () => number
  /** Name reported as `backend`. Default `kv`. */
  backend?: string
}

/** A held slot expires after this long, so a process that dies holding one cannot leak it. */
const slotTtlMs = 15 * 60_000
/** A refused concurrent run is told to try again after this long: runs end at unknown times. */
const slotRetryMs = 1000

/**
 * The `Limiter` over any `KvStore` (in-memory, Upstash Redis): every check is one atomic
 * increment of the current bucket, read together with the previous one, and rolled back when
 * it does not fit. Concurrent checks are serialised by the store's increment, and a check
 * counts every amount added before it (rolled back or not), so nothing is ever admitted past
 * the rule: at worst a request is refused that a slower interleaving would have let through.
 */
export function createKvLimiter(options: KvLimiterOptions): Limiter {
  const { kv } = options
  const prefix = options.prefix ?? 'limits:'
  const now = options.now ?? Date.now

  async function add(buckets: PeriodBuckets, amount: number) {
    const [current, previous] = await Promise.all([
      kv.increment(buckets.current, amount, { ttlMs: buckets.ttlMs }),
      buckets.previous ? kv.get<number>(buckets.previous.key) : Promise.resolve(undefined),
    ])
    const weighted = buckets.previous ? Math.floor((previous ?? 0) * buckets.previous.weight) : 0
    return {
      before: weighted + current - amount,
      current: current - amount,
      previous: previous ?? 0,
    }
  }

  async function read(buckets: PeriodBuckets): Promise<number> {
    const [current, previous] = await Promise.all([
      kv.get<number>(buckets.current),
      buckets.previous ? kv.get<number>(buckets.previous.key) : Promise.resolve(undefined),
    ])
    const weighted = buckets.previous ? Math.floor((previous ?? 0) * buckets.previous.weight) : 0
    return weighted + (current ?? 0)
  }

  return {
    backend: options.backend ?? 'kv',
    async hit(identifier: string, limit: number, window: SlidingWindow): Promise<LimitVerdict> {
      const buckets = periodBuckets(`${prefix}req:${identifier}`, window, now())
      const seen = await add(buckets, 1)
      const state = { limit, reset: buckets.reset }
      if (seen.before + 1 <= limit) {
        return { ok: true, ...state, remaining: Math.max(limit - seen.before - 1, 0) }
      }
      await kv.increment(buckets.current, -1, { ttlMs: buckets.ttlMs })
      const wait = retryAfterMs(buckets, seen.previous, seen.current, 1, limit)
      return { ok: false, reason: 'exhausted', ...state, remaining: 0, retryAfterMs: wait }
    },
    peekHits: (identifier, window) =>
      read(periodBuckets(`${prefix}req:${identifier}`, window, now())),
    async reserve(identifier, budget, cap, period, amount): Promise<ReserveVerdict> {
      const buckets = periodBuckets(`${prefix}${budget}:${identifier}`, period, now())
      const taken = Math.max(Math.ceil(amount), 0)
      const seen = await add(buckets, taken)
      const state = { limit: cap, reset: buckets.reset }
      // Nothing in use yet: even a reservation larger than the cap may run, once.
      if (cap > 0 && (seen.before + taken <= cap || seen.before <= 0)) {
        const reservation: Reservation = {
          key: buckets.current,
          amount: taken,
          ttlMs: buckets.ttlMs,
        }
        return {
          ok: true,
          ...state,
          remaining: Math.max(cap - seen.before - taken, 0),
          reservation,
        }
      }
      if (taken > 0) await kv.increment(buckets.current, -taken, { ttlMs: buckets.ttlMs })
      const wait = retryAfterMs(buckets, seen.previous, seen.current, taken, cap)
      return {
        ok: false,
        reason: 'exhausted',
        ...state,
        remaining: Math.max(cap - seen.before, 0),
        retryAfterMs: wait,
      }
    },
    async settle(reservation: Reservation, used: number) {
      const delta = Math.max(Math.ceil(used), 0) - reservation.amount
      if (delta !== 0) await kv.increment(reservation.key, delta, { ttlMs: reservation.ttlMs })
    },
    peekBudget: (identifier: string, budget: string, period: BudgetPeriod) =>
      read(periodBuckets(`${prefix}${budget}:${identifier}`, period, now())),
    async acquire(identifier: string, max: number): Promise<SlotVerdict> {
      const key = `${prefix}runs:${identifier}`
      const [held] = await Promise.all([
        kv.increment(key, 1, { ttlMs: slotTtlMs }),
        kv.expire(key, slotTtlMs),
      ])
      const state = { limit: max, reset: now() + slotRetryMs }
      if (held <= max) return { ok: true, ...state, remaining: max - held, slot: { key } }
      await kv.increment(key, -1, { ttlMs: slotTtlMs })
      return { ok: false, reason: 'exhausted', ...state, remaining: 0, retryAfterMs: slotRetryMs }
    },
    async release(slot: Slot) {
      const held = await kv.increment(slot.key, -1, { ttlMs: slotTtlMs })
      // The counter expired while the slot was held (a run longer than the TTL): repair it.
      if (held < 0) await kv.increment(slot.key, -held, { ttlMs: slotTtlMs })
    },
    async peekSlots(identifier: string) {
      return Math.max((await kv.get<number>(`${prefix}runs:${identifier}`)) ?? 0, 0)
    },
  }
}
