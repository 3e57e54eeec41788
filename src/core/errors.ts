import type { ErrorCode } from './error-codes.ts'

/**
 * The one error family of Outpost. Every failure that crosses a module boundary is an
 * `AppError` with a stable string `code`; callers branch on `code` (or `instanceof`), never on
 * message text. `status` is the HTTP status the error maps to, `retryable` tells callers and
 * clients whether trying again can help, and `expose` says whether `message` is safe to show a
 * client (internal details never are).
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly retryable: boolean
  readonly expose: boolean
  readonly details: unknown
  /** How long the client should wait before trying again, when known (a provider's own value). */
  readonly retryAfterMs: number | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      status?: number
      retryable?: boolean
      expose?: boolean
      details?: unknown
      cause?: unknown
      retryAfterMs?: number
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.status = options.status ?? 500
    this.retryable = options.retryable ?? false
    this.expose = options.expose ?? this.status < 500
    this.details = options.details
    this.retryAfterMs = options.retryAfterMs
  }
}

/** The request is malformed or fails validation (400). `details` lists the offending fields. */
export class ValidationError extends AppError {
  constructor(
    message: string,
    options: { code?: ErrorCode; details?: unknown; cause?: unknown } = {},
  ) {
    super(options.code ?? 'invalid_request', message, { ...options, status: 400 })
  }
}

/** The addressed resource does not exist, or the caller may not know that it exists (404). */
export class NotFoundError extends AppError {
  constructor(message = 'Not found', options: { cause?: unknown } = {}) {
    super('not_found', message, { ...options, status: 404 })
  }
}

/** The path exists but not for this method (405). `allow` becomes the `Allow` header. */
export class MethodNotAllowedError extends AppError {
  readonly allow: readonly string[]
  constructor(method: string, allow: readonly string[]) {
    super('method_not_allowed', `Method ${method} is not allowed here`, {
      status: 405,
      details: { allow },
    })
    this.allow = allow
  }
}

/** The request body is larger than the configured limit (413). */
export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super('payload_too_large', `Request body exceeds the limit of ${limitBytes} bytes`, {
      status: 413,
      details: { limit_bytes: limitBytes },
    })
  }
}

/** The request's media type is not one this endpoint reads (415). */
export class UnsupportedMediaTypeError extends AppError {
  constructor(expected: string) {
    super('unsupported_media_type', `Expected a request body of type ${expected}`, {
      status: 415,
      details: { expected },
    })
  }
}

/**
 * The bindings do not form a valid configuration. The message names every offending variable
 * and what it expects, and never contains a value (values may be secrets).
 */
export class ConfigError extends AppError {
  readonly problems: readonly ConfigProblem[]
  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.variable}: ${p.expected}`)
    super('config_invalid', `Invalid configuration:\n${lines.join('\n')}`, {
      status: 500,
      expose: true,
      details: { problems },
    })
    this.problems = problems
  }
}

/** One configuration problem: which variable, and what it should hold. */
export interface ConfigProblem {
  variable: string
  expected: string
}

/** A dependency (store, provider) did not answer in time or answered with an error. */
export class DependencyError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    options: { retryable?: boolean; cause?: unknown; status?: number } = {},
  ) {
    super(code, message, {
      status: options.status ?? 503,
      retryable: options.retryable ?? true,
      ...options,
    })
  }
}

/** Whether a thrown value is one of ours. */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}

/**
 * A store (KV, history, vector) failed. `retryable` is true for transient causes (network,
 * timeout, 5xx, connection reset) and false for ones that repeat (bad credentials, malformed
 * answer, constraint violation). Drivers' own errors never escape a store: they become `cause`.
 */
export class StoreError extends AppError {
  readonly store: string
  constructor(
    store: string,
    message: string,
    options: { retryable: boolean; cause?: unknown; code?: ErrorCode },
  ) {
    super(options.code ?? 'store_unavailable', message, {
      status: 503,
      retryable: options.retryable,
      expose: false,
      cause: options.cause,
    })
    this.store = store
  }
}
