import { DrizzleQueryError } from 'drizzle-orm'
import { AppError, StoreError, ValidationError } from '../errors.ts'

/**
 * Turns whatever a PostgreSQL driver threw (pg, PGlite, Neon HTTP or WebSocket, wrapped by
 * drizzle) into a `StoreError`, deciding `retryable` from the cause chain: network failures,
 * timeouts, connection exceptions (SQLSTATE 08), shutdowns (57P01-57P03), resource limits
 * (53), serialization failures and deadlocks can pass; constraint, syntax and malformed
 * answers cannot. Data exceptions (SQLSTATE class 22) are the client's: `ValidationError`. Our own `AppError`s pass through unchanged.
 */
export function toPostgresStoreError(store: string, operation: string, error: unknown): AppError {
  if (error instanceof AppError) return error
  const chain = causeChain(error)
  const sqlState = chain.map(sqlStateOf).find((code) => code !== undefined)
  // Class 22 (data exception: U+0000 in text or jsonb, an invalid byte sequence, a value too
  // long) is the input's fault: a 400 the client can fix, not a 503 it would retry forever.
  if (sqlState?.startsWith('22')) {
    return new ValidationError(`The ${store} store cannot keep this input (SQLSTATE ${sqlState})`, {
      code: 'input_rejected',
      cause: error,
    })
  }
  const retryable = chain.some(isTransient)
  const code = retryable
    ? 'store_unavailable'
    : sqlState?.startsWith('23')
      ? 'store_constraint'
      : 'store_failed'
  const reason = sqlState ? `SQLSTATE ${sqlState}` : retryable ? 'unreachable' : 'failed'
  return new StoreError(store, `${store} store: ${operation} ${reason}`, {
    retryable,
    code,
    cause: error,
  })
}

const transientNetworkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
])

const transientSqlStates = /^(08|53|57P0[1-3]|40001|40P01|55P03)/

// Messages of third-party drivers that carry no code for these transient conditions (pg,
// pg-pool and the Neon driver); our own errors are never classified by message.
const transientDriverMessages = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection (?:timeout|timed out)/i,
  /not queryable/i,
  /server error \(http status (?:5\d\d|429)\)/i,
  /error connecting to database/i,
]

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  let current: unknown = error
  while (current !== undefined && current !== null && chain.length < 8) {
    chain.push(current)
    // `sourceError`: the Neon driver's fetch failure; `error`: a WebSocket ErrorEvent's.
    const links = current as { cause?: unknown; sourceError?: unknown; error?: unknown }
    current = links.cause ?? links.sourceError ?? links.error
    if (chain.includes(current)) break
  }
  // AggregateError (e.g. a refused connection tried on IPv4 and IPv6) hides codes in `errors`.
  for (const item of [...chain]) {
    if (item instanceof AggregateError) chain.push(...item.errors)
  }
  return chain
}

function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code !== 'string' || transientNetworkCodes.has(code)) return undefined
  return /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code === 'string' && transientNetworkCodes.has(code)) return true
  const sqlState = sqlStateOf(error)
  if (sqlState) return transientSqlStates.test(sqlState)
  // Drizzle's wrapper quotes the query and its parameters: user text, not a diagnosis.
  if (error instanceof DrizzleQueryError || !(error instanceof Error)) return false
  const message = error.message
  return transientDriverMessages.some((pattern) => pattern.test(message))
}
