/** A window over which requests are counted: the last `ms` milliseconds, sliding. */
export interface SlidingWindow {
  kind: 'sliding'
  ms: number
}

/** A calendar period in UTC, for budgets that reset at midnight or on the first of a month. */
export interface CalendarPeriod {
  kind: 'calendar'
  unit: 'day' | 'month'
}

/** How a budget is counted. */
export type BudgetPeriod = SlidingWindow | CalendarPeriod

/** Where a limit stands after a check. `reset` is epoch milliseconds. */
export interface LimitState {
  limit: number
  remaining: number
  reset: number
}

/**
 * The answer to one check: allowed (with what is left), or refused with the reason and when
 * to try again. `pending` is background work to hand to `waitUntil` (the Upstash limiter's
 * analytics and multi-region sync); it never rejects.
 */
export type LimitVerdict =
  | ({ ok: true; pending?: Promise<unknown> } & LimitState)
  | ({
      ok: false
      reason: 'exhausted'
      retryAfterMs: number
      pending?: Promise<unknown>
    } & LimitState)

/** A budget amount taken before the work ran, to be settled against what it really used. */
export interface Reservation {
  /** The counter the amount went to (a budget's bucket for that period). */
  key: string
  amount: number
  /** How long the counter lives, so settling can recreate an expired one. */
  ttlMs: number
}

/** The answer to a reservation: taken (with the reservation to settle), or refused. */
export type ReserveVerdict =
  | ({ ok: true; reservation: Reservation } & LimitState)
  | ({ ok: false; reason: 'exhausted'; retryAfterMs: number } & LimitState)

/** A slot of the concurrent-runs limit, held from admission until the run ends. */
export interface Slot {
  key: string
}

/** The answer to acquiring a slot. */
export type SlotVerdict =
  | ({ ok: true; slot: Slot } & LimitState)
  | ({ ok: false; reason: 'exhausted'; retryAfterMs: number } & LimitState)

/**
 * Counters that hold across isolates and processes: a sliding request window, budgets taken by
 * reservation (tokens, spend; integers, e.g. micro-dollars), and concurrent-run slots.
 * Identifiers name the principal (`key:ID`, `guest:ID`, `addr:IP`).
 *
 * Under any concurrency a budget admits a reservation only if everything admitted before it
 * plus this amount fits the cap, or if nothing is in use yet: so it is exceeded by at most
 * one reservation. Implementations: `createKvLimiter` (any `KvStore`) and
 * `createUpstashLimiter` (`@upstash/ratelimit` for the request window). Every method rejects
 * only with `StoreError` (the store is down or misbehaves).
 */
export interface Limiter {
  readonly backend: string
  /** Counts one request in `identifier`'s window, unless that would pass `limit`. */
  hit(identifier: string, limit: number, window: SlidingWindow): Promise<LimitVerdict>
  /** Requests counted in the window now, without counting one. */
  peekHits(identifier: string, window: SlidingWindow): Promise<number>
  /** Takes `amount` of `budget` (a name such as `tpm`) unless the cap forbids it. */
  reserve(
    identifier: string,
    budget: string,
    cap: number,
    period: BudgetPeriod,
    amount: number,
  ): Promise<ReserveVerdict>
  /** Replaces a reservation's amount by what was really used (0 gives it all back). */
  settle(reservation: Reservation, used: number): Promise<void>
  /** How much of a budget is used in the current period. */
  peekBudget(identifier: string, budget: string, period: BudgetPeriod): Promise<number>
  /** Takes one of `max` concurrent slots. */
  acquire(identifier: string, max: number): Promise<SlotVerdict>
  /** Gives a slot back. */
  release(slot: Slot): Promise<void>
  /** Slots in use. */
  peekSlots(identifier: string): Promise<number>
}
