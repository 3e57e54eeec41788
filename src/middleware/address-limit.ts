import type { Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { StoreError } from '../core/errors.ts'
import { LimitError, LimitsUnavailableError } from '../core/limits/limit-errors.ts'

/** Options of `addressLimit`. */
export interface AddressLimitOptions {
  /** The client's address, from the runtime; requests without one share the `unknown` bucket. */
  clientAddress?: (c: Context<AppEnv>) => string | undefined
}

const minute = { kind: 'sliding', ms: 60_000 } as const

/**
 * A check for requests that create state without an identity (a new guest): at most
 * LIMIT_ADDRESS_PER_MINUTE per client address, on the same limiter as the gate's limits.
 * Refuses with the same 429 `rate_limited` (or 503 when the store is down and limits fail
 * closed; failing open lets the request through).
 */
export function addressLimit(options: AddressLimitOptions = {}) {
  return async function admitAddress(c: Context<AppEnv>): Promise<void> {
    const { limiter, config, logger } = c.get('services')
    const address = options.clientAddress?.(c) ?? 'unknown'
    const limit = config.LIMIT_ADDRESS_PER_MINUTE
    let verdict: Awaited<ReturnType<typeof limiter.hit>>
    try {
      verdict = await limiter.hit(`addr:${address}`, limit, minute)
    } catch (error) {
      if (!(error instanceof StoreError)) throw error
      if (config.LIMITS_STORE_DOWN === 'closed') throw new LimitsUnavailableError(error)
      logger.warn('limit store down: new guest admitted unchecked', { error: String(error) })
      return
    }
    if (verdict.pending) c.get('services').defer(verdict.pending)
    if (verdict.ok) return
    const retryAfterSeconds = Math.max(Math.ceil(verdict.retryAfterMs / 1000), 1)
    throw new LimitError('rate_limited', 'Too many new visitors from your address', {
      retryAfterSeconds,
      limits: [
        {
          policy: 'rpm',
          unit: 'requests',
          quota: limit,
          windowSeconds: 60,
          remaining: 0,
          resetSeconds: retryAfterSeconds,
        },
      ],
    })
  }
}
