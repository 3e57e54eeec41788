import type { ErrorCode } from './error-codes.ts'
import { AppError, isAppError } from './errors.ts'

/**
 * An error as every surface shows it to its client (HTML fragment or page, JSON, an SSE or
 * WebSocket frame, the OpenAI and Anthropic shapes): the one place that decides what a client
 * may see. Server errors say only "Internal server error"; details go out only when exposed.
 */
export interface ClientError {
  code: ErrorCode
  status: number
  message: string
  retryable: boolean
  details?: unknown
  /** `Retry-After` in seconds: on 429, and on retryable 5xx (the provider's own value if known). */
  retryAfterSeconds?: number
}

/** Any thrown value as an `AppError`; an unknown one becomes an `internal_error` that shows nothing. */
export function asAppError(thrown: unknown): AppError {
  if (isAppError(thrown)) return thrown
  return new AppError('internal_error', 'Internal server error', { status: 500, cause: thrown })
}

/** What the client of any surface sees of `error`. */
export function clientError(error: AppError): ClientError {
  const out: ClientError = {
    code: error.code,
    status: error.status,
    message: error.expose ? error.message : 'Internal server error',
    retryable: error.retryable,
  }
  if (error.expose && error.details !== undefined) out.details = error.details
  if (error.status === 429 || (error.retryable && error.status >= 500)) {
    out.retryAfterSeconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000))
  }
  return out
}
