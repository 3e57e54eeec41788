import { AppError } from '../errors.ts'

/** Stable codes of provider failures; callers branch on these, never on messages. */
export type ProviderErrorCode =
  | 'provider_rate_limited'
  | 'provider_overloaded'
  | 'provider_unavailable'
  | 'provider_timeout'
  | 'provider_network'
  | 'provider_bad_response'
  | 'provider_auth'
  | 'provider_bad_request'
  | 'provider_not_found'
  | 'provider_error'
  | 'provider_aborted'
  | 'no_candidate'
  | 'context_length_exceeded'

/** What a `ProviderError` is built from. */
export interface ProviderErrorOptions {
  provider: string
  model: string
  /** The provider's HTTP status, when it answered. */
  upstreamStatus?: number
  retryable: boolean
  /** How long the provider asked us to wait, in ms (from `retry-after-ms` / `retry-after`). */
  retryAfterMs?: number
  cause?: unknown
}

/**
 * A model provider failed. `retryable` says whether another attempt (here or on another
 * candidate) can help: rate limits, overload, 5xx, timeouts, network errors and cut or
 * malformed streams are; bad requests and bad credentials are not. `status` is the HTTP
 * status Outpost answers with (502/503/504); the provider's own status is `upstreamStatus`.
 */
export class ProviderError extends AppError {
  readonly provider: string
  readonly model: string
  readonly upstreamStatus: number | undefined

  constructor(code: ProviderErrorCode, message: string, options: ProviderErrorOptions) {
    super(code, message, {
      status: statusFor(code),
      retryable: options.retryable,
      expose: true,
      cause: options.cause,
      retryAfterMs: options.retryAfterMs,
      details: {
        provider: options.provider,
        model: options.model,
        upstream_status: options.upstreamStatus,
        retry_after_ms: options.retryAfterMs,
      },
    })
    this.provider = options.provider
    this.model = options.model
    this.upstreamStatus = options.upstreamStatus
  }
}

function statusFor(code: ProviderErrorCode): number {
  if (code === 'provider_timeout') return 504
  if (code === 'provider_aborted') return 499
  if (code === 'provider_rate_limited' || code === 'provider_overloaded') return 503
  if (code === 'no_candidate') return 503
  // The request itself is too large for every model: the client's to shorten (OpenAI's code).
  if (code === 'context_length_exceeded') return 400
  return 502
}
