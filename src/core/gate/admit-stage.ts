import type { Principal } from '../auth/principal.ts'
import { StoreError } from '../errors.ts'
import { createKvLimiter } from '../limits/kv-limiter.ts'
import { LimitError, type LimitErrorCode, LimitsUnavailableError } from '../limits/limit-errors.ts'
import { effectivePolicy, type LimitPolicy } from '../limits/limit-policy.ts'
import { type LimitSnapshot, secondsUntil } from '../limits/limit-snapshot.ts'
import type { BudgetPeriod, Limiter, Reservation, SlidingWindow, Slot } from '../limits/limiter.ts'
import { createInMemoryKvStore } from '../memory/in-memory-kv-store.ts'
import type { ModelCatalog } from '../models/model-catalog.ts'
import type { Logger } from '../telemetry/logger.ts'
import type { GateOutcome, GateStage, StageVerdict } from './gate-stage.ts'
import type { ModelWork } from './model-work.ts'
import type { RequestContext } from './request-context.ts'
import { estimateWork } from './work-estimate.ts'

/** Options of `createAdmitStage`. */
export interface AdmitStageOptions {
  limiter: Limiter
  /** The configured limits; a key's own (on its principal) override them field by field. */
  defaults: LimitPolicy
  catalog: Pick<ModelCatalog, 'get' | 'entries'>
  /** Output tokens reserved for work that names no `max_tokens`. */
  defaultOutputTokens: number
  /**
   * When the limit store fails: `closed` refuses with 503 `limits_unavailable`; `open` lets
   * requests through under a per-isolate request window of `failOpenRpm` (and the principal's
   * concurrent-runs limit), without token or spend budgets.
   */
  storeDown: 'closed' | 'open'
  failOpenRpm: number
  logger: Logger
  now?: () => number
}

const minute: SlidingWindow = { kind: 'sliding', ms: 60_000 }
const day: BudgetPeriod = { kind: 'calendar', unit: 'day' }
const month: BudgetPeriod = { kind: 'calendar', unit: 'month' }

/** The counters a principal's limits are kept under: per API key, else per guest. */
export function limitIdentity(principal: Principal): string {
  return principal.kind === 'api-key' && principal.keyId
    ? `key:${principal.keyId}`
    : `${principal.kind}:${principal.userId}`
}

/**
 * The gate's `admit` stage: requests per minute, concurrent runs, tokens per minute and spend
 * per day and month, checked in that order (cheapest refusal first) and taken before the run.
 * Its `settle` gives the slot back and replaces each reservation by the run's real usage, in
 * the background. Every refusal undoes what the request had already taken.
 */
export function createAdmitStage(options: AdmitStageOptions): GateStage {
  const now = options.now ?? Date.now
  const isolate = createKvLimiter({
    kv: createInMemoryKvStore({ maxEntries: 10_000, now }),
    prefix: 'isolate:',
    backend: 'isolate',
    now,
  })

  async function check(context: RequestContext, work: ModelWork): Promise<StageVerdict> {
    const policy = effectivePolicy(options.defaults, context.principal.limits)
    const identity = limitIdentity(context.principal)
    try {
      return await admit(options.limiter, policy, identity, context, work)
    } catch (error) {
      if (!(error instanceof StoreError)) throw error
      if (options.storeDown === 'closed') {
        return { kind: 'refuse', error: new LimitsUnavailableError(error) }
      }
      options.logger.warn('limit store down: admitting under the per-isolate cap', {
        request_id: context.requestId,
        error: String(error),
      })
      const rpm = Math.min(policy.rpm ?? options.failOpenRpm, options.failOpenRpm)
      const fallback: LimitPolicy = {
        rpm,
        ...(policy.concurrent === undefined ? {} : { concurrent: policy.concurrent }),
      }
      return admit(isolate, fallback, identity, context, work)
    }
  }

  async function admit(
    limiter: Limiter,
    policy: LimitPolicy,
    identity: string,
    context: RequestContext,
    work: ModelWork,
  ): Promise<StageVerdict> {
    const snapshots: LimitSnapshot[] = []
    const reservations: { budget: 'tpm' | 'usd'; reservation: Reservation }[] = []
    let slot: Slot | undefined
    const undo = async () => {
      await Promise.all([
        ...reservations.map(({ reservation }) => limiter.settle(reservation, 0)),
        ...(slot ? [limiter.release(slot)] : []),
      ])
    }
    const refuse = async (
      code: LimitErrorCode,
      message: string,
      retryAfterMs: number,
    ): Promise<StageVerdict> => {
      await undo()
      const retryAfterSeconds = Math.max(Math.ceil(retryAfterMs / 1000), 1)
      return {
        kind: 'refuse',
        error: new LimitError(code, message, { retryAfterSeconds, limits: snapshots }),
      }
    }

    try {
      if (policy.rpm !== undefined) {
        const verdict = await limiter.hit(identity, policy.rpm, minute)
        if (verdict.pending) context.defer?.(verdict.pending)
        snapshots.push(snapshot('rpm', verdict, verdict.ok ? undefined : verdict.retryAfterMs))
        if (!verdict.ok) {
          return refuse(
            'rate_limited',
            `Too many requests: the limit is ${policy.rpm} a minute`,
            verdict.retryAfterMs,
          )
        }
      }
      if (policy.concurrent !== undefined) {
        const verdict = await limiter.acquire(identity, policy.concurrent)
        snapshots.push(
          snapshot('concurrent', verdict, verdict.ok ? undefined : verdict.retryAfterMs),
        )
        if (!verdict.ok) {
          return refuse(
            'concurrency_limited',
            `Too many runs at once: the limit is ${policy.concurrent}`,
            verdict.retryAfterMs,
          )
        }
        slot = verdict.slot
      }
      const estimate = estimateWork(work, options.catalog, options.defaultOutputTokens)
      const budgets = [
        { policy: 'tpm', budget: 'tpm', cap: policy.tpm, period: minute, amount: estimate.tokens },
        {
          policy: 'usd-day',
          budget: 'usd',
          cap: micros(policy.usdPerDay),
          period: day,
          amount: estimate.usdMicros,
        },
        {
          policy: 'usd-month',
          budget: 'usd',
          cap: micros(policy.usdPerMonth),
          period: month,
          amount: estimate.usdMicros,
        },
      ] as const
      for (const { policy: name, budget, cap, period, amount } of budgets) {
        if (cap === undefined) continue
        const verdict = await limiter.reserve(identity, budget, cap, period, amount)
        snapshots.push(snapshot(name, verdict, verdict.ok ? undefined : verdict.retryAfterMs))
        if (verdict.ok) {
          reservations.push({ budget, reservation: verdict.reservation })
          continue
        }
        if (name === 'tpm') {
          return refuse(
            'tokens_rate_limited',
            `Too many tokens: the limit is ${cap} a minute`,
            verdict.retryAfterMs,
          )
        }
        const per = name === 'usd-day' ? 'day' : 'month'
        return refuse(
          'budget_exhausted',
          `The spend budget for this ${per} is used up`,
          verdict.retryAfterMs,
        )
      }
    } catch (error) {
      // The store failed midway: give back what was taken, if it still answers.
      await undo().catch(() => undefined)
      throw error
    }

    context.reportLimits?.(snapshots)
    const settle = async (outcome: GateOutcome) => {
      const usage = outcome.kind === 'finished' ? outcome.usage : undefined
      await Promise.all([
        ...reservations.map(({ budget, reservation }) =>
          limiter.settle(
            reservation,
            budget === 'tpm'
              ? (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0)
              : Math.ceil((usage?.costUsd ?? 0) * 1_000_000),
          ),
        ),
        ...(slot ? [limiter.release(slot)] : []),
      ])
    }
    return reservations.length > 0 || slot ? { kind: 'continue', settle } : { kind: 'continue' }
  }

  function snapshot(
    policy: LimitSnapshot['policy'],
    state: { limit: number; remaining: number; reset: number },
    retryAfterMs: number | undefined,
  ): LimitSnapshot {
    const resetSeconds =
      retryAfterMs === undefined
        ? secondsUntil(state.reset, now())
        : Math.max(Math.ceil(retryAfterMs / 1000), 1)
    const base = { policy, quota: state.limit, remaining: state.remaining, resetSeconds }
    switch (policy) {
      case 'rpm':
        return { ...base, unit: 'requests', windowSeconds: 60 }
      case 'tpm':
        return { ...base, unit: 'tokens', windowSeconds: 60 }
      case 'concurrent':
        return { ...base, unit: 'concurrent-requests' }
      case 'usd-day':
        return { ...base, unit: 'usd-micros', windowSeconds: 86_400 }
      case 'usd-month':
        return { ...base, unit: 'usd-micros', windowSeconds: 30 * 86_400 }
      default:
        return policy satisfies never
    }
  }

  return { name: 'admit', check }
}

function micros(usd: number | undefined): number | undefined {
  return usd === undefined ? undefined : Math.round(usd * 1_000_000)
}
