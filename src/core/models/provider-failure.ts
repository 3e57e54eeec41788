import { ProviderError, type ProviderErrorCode } from './provider-error.ts'

/** What an adapter knows about a failed call, with SDK types already stripped. */
export interface ProviderFailure {
  provider: string
  model: string
  kind: 'abort' | 'timeout' | 'connection' | 'api' | 'other'
  status?: number
  headers?: { get(name: string): string | null } | undefined
  /** The provider's error type (`overloaded_error`, `rate_limit_error`...), when it sent one. */
  errorType?: string
  cause: unknown
}

/**
 * Turns an adapter's failure into a `ProviderError`: the one place that decides which
 * provider failures are worth retrying and how long the provider asked us to wait.
 */
export function providerError(failure: ProviderFailure): ProviderError {
  const { provider, model, status, cause } = failure
  const retryAfterMs = parseRetryAfter(failure.headers)
  const base = { provider, model, upstreamStatus: status, retryAfterMs, cause }
  const make = (code: ProviderErrorCode, retryable: boolean, what: string) =>
    new ProviderError(code, `${provider}:${model} ${what}`, { ...base, retryable })

  if (failure.kind === 'abort') return make('provider_aborted', false, 'request was cancelled')
  if (failure.kind === 'timeout') return make('provider_timeout', true, 'timed out')
  if (failure.kind === 'connection') return make('provider_network', true, 'could not be reached')
  if (failure.kind === 'other') {
    if (cause instanceof SyntaxError) {
      return make('provider_bad_response', true, 'sent a malformed stream')
    }
    return make('provider_network', true, 'connection failed mid-answer')
  }
  const type = failure.errorType
  if (status === 529 || type === 'overloaded_error') {
    return make('provider_overloaded', true, 'is overloaded')
  }
  if (status === 429 || type === 'rate_limit_error') {
    return make('provider_rate_limited', true, 'is rate limited')
  }
  if (status === 408 || type === 'timeout_error') return make('provider_timeout', true, 'timed out')
  if (status === 409) return make('provider_unavailable', true, 'reported a conflict')
  if (status === 401 || status === 403 || type === 'authentication_error') {
    return make('provider_auth', false, `rejected the credentials (${status})`)
  }
  if (status === 404) return make('provider_not_found', false, 'does not exist')
  if (status !== undefined && status >= 400 && status < 500) {
    return make('provider_bad_request', false, `rejected the request (${status})`)
  }
  if (status === undefined || status >= 500 || type === 'api_error') {
    return make('provider_unavailable', true, `failed (${status ?? type ?? 'stream error'})`)
  }
  return make('provider_error', false, `failed (${status})`)
}

/** Milliseconds from `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
export function parseRetryAfter(
  headers: { get(name: string): string | null } | undefined,
  now: () => number = Date.now,
): number | undefined {
  if (!headers) return undefined
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '')
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms)
  const raw = headers.get('retry-after')
  if (raw === null || raw.trim() === '') return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000)
  const date = Date.parse(raw)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now())
}

/** An error for a stream that ended without saying it was done: never a silent truncation. */
export function truncatedStream(provider: string, model: string): ProviderError {
  return new ProviderError('provider_bad_response', `${provider}:${model} stream ended early`, {
    provider,
    model,
    retryable: true,
  })
}
