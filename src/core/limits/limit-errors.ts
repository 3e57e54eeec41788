import { AppError } from '../errors.ts'
import type { LimitSnapshot } from './limit-snapshot.ts'

/** Codes of refusals by the limits, each its own: clients branch on them. */
export type LimitErrorCode =
  | 'rate_limited'
  | 'tokens_rate_limited'
  | 'concurrency_limited'
  | 'budget_exhausted'

/**
 * A request refused by a limit. Rates (requests, tokens, concurrent runs) are 429 and come back
 * by themselves: `retryAfterSeconds` says when. Spend (`budget_exhausted`) is 402: it comes
 * back only with the next day or month (or a raised budget), and SDKs retry 429s on their own,
 * which would only burn attempts; OpenRouter answers an empty balance the same way and
 * Anthropic's clients know 402 as `billing_error`. `limits` is what the answer's headers say.
 */
export class LimitError extends AppError {
  readonly retryAfterSeconds: number
  readonly limits: readonly LimitSnapshot[]
  constructor(
    code: LimitErrorCode,
    message: string,
    options: { retryAfterSeconds: number; limits: readonly LimitSnapshot[] },
  ) {
    super(code, message, {
      status: code === 'budget_exhausted' ? 402 : 429,
      retryable: code !== 'budget_exhausted',
      details: { retry_after_seconds: options.retryAfterSeconds },
      retryAfterMs: Math.max(options.retryAfterSeconds, 1) * 1000,
    })
    this.retryAfterSeconds = Math.max(options.retryAfterSeconds, 1)
    this.limits = options.limits
  }
}

/** The limit store cannot be reached and the limits fail closed (`LIMITS_STORE_DOWN=closed`). */
export class LimitsUnavailableError extends AppError {
  readonly retryAfterSeconds = 5
  constructor(cause: unknown) {
    super('limits_unavailable', 'Limits cannot be checked right now; try again shortly', {
      status: 503,
      retryable: true,
      expose: true,
      retryAfterMs: 5000,
      cause,
    })
  }
}
