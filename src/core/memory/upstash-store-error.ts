import type { ErrorCode } from '../error-codes.ts'
import { StoreError } from '../errors.ts'

/**
 * Turns whatever an Upstash client (@upstash/redis, @upstash/vector) threw into a
 * `StoreError`. The clients do not expose the HTTP status, so the classification reads the
 * error's class name and the server's error text (third-party text, not ours):
 *
 * - fetch network failures, aborts and timeouts, 5xx / 429 texts and Redis' transient
 *   replies (LOADING, BUSY, TRYAGAIN...) -> `store_unavailable`, retryable;
 * - `Unauthorized` / `WRONGPASS` / `NOAUTH` -> `store_unauthorized`, not retryable;
 * - a body that is not JSON, or JSON without the expected shape -> `store_malformed_response`,
 *   not retryable (unless the body is a gateway's 5xx page);
 * - any other server-side refusal -> `store_command_failed`, not retryable.
 */
export function upstashStoreError(store: string, operation: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error
  const { code, retryable } = classify(error)
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return new StoreError(store, `${store} ${operation} failed (${code}): ${detail}`, {
    code,
    retryable,
    cause: error,
  })
}

const authText = /unauthori[sz]ed|wrongpass|noauth|noperm|invalid (auth )?token/i
const transientText =
  /service unavailable|bad gateway|gateway time|internal server error|too many requests|max (concurrent|requests)|rate limit|\b(LOADING|BUSY|TRYAGAIN|MASTERDOWN|CLUSTERDOWN)\b|timed? ?out/i
const gatewayPage = /\b50[0-4]\b|bad gateway|service (temporarily )?unavailable|gateway time/i
const networkText =
  /fetch failed|network|connect|socket|ECONN|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|sending request|terminated|other side closed/i

function classify(error: unknown): { code: ErrorCode; retryable: boolean } {
  const unavailable = { code: 'store_unavailable' as const, retryable: true }
  const malformed = { code: 'store_malformed_response' as const, retryable: false }
  if (!(error instanceof Error)) return malformed
  const { name, message } = error
  if (name === 'AbortError' || name === 'TimeoutError') return unavailable
  if (name === 'UpstashJSONParseError') return gatewayPage.test(message) ? unavailable : malformed
  if (name === 'UpstashError') {
    if (authText.test(message)) return { code: 'store_unauthorized', retryable: false }
    if (transientText.test(message)) return unavailable
    return { code: 'store_command_failed', retryable: false }
  }
  if (name === 'UrlError') return { code: 'store_misconfigured', retryable: false }
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code
  if (typeof causeCode === 'string' || networkText.test(message)) return unavailable
  return malformed
}
