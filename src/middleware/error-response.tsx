import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppEnv } from '../app-env.ts'
import { asAppError, clientError } from '../core/client-error.ts'
import type { ErrorCode } from '../core/error-codes.ts'
import { AppError, MethodNotAllowedError } from '../core/errors.ts'
import { LimitError } from '../core/limits/limit-errors.ts'
import { errorFields } from '../core/telemetry/error-fields.ts'
import { createLogger } from '../core/telemetry/logger.ts'
import { ErrorFragment } from '../views/error-fragment.tsx'
import { ErrorPage } from '../views/error-page.tsx'
import { rateLimitHeaders } from './rate-limit-headers.ts'
import {
  anthropicErrorBody,
  errorSurface,
  openAiErrorBody,
  surfaceStatus,
} from './surface-error-body.ts'

/** The body every JSON client gets for an error. */
export interface ErrorBody {
  error: { code: string; message: string; request_id: string; details?: unknown }
}

const apiPrefixes = ['/api/', '/v1/', '/mcp']

// For errors raised before the services exist (an invalid configuration, for one).
const fallbackLogger = createLogger({ level: 'error' })

/** Names for HTTP statuses that reach us as plain `HTTPException`s (from Hono middleware). */
const codeByStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
}

/** Any thrown value as an `AppError`: Hono's `HTTPException`s by status, the rest as core does. */
export function toAppError(error: unknown): AppError {
  if (error instanceof HTTPException) {
    return new AppError(codeByStatus[error.status] ?? 'http_error', error.message, {
      status: error.status,
      expose: error.status < 500,
      cause: error,
    })
  }
  return asAppError(error)
}

/** How the caller wants errors: JSON (APIs), an htmx fragment, or a full page (browsers). */
export function errorFormat(c: Context): 'json' | 'fragment' | 'page' {
  const path = c.req.path
  if (apiPrefixes.some((prefix) => path.startsWith(prefix) || `${path}/` === prefix)) return 'json'
  if (c.req.header('HX-Request') === 'true') return 'fragment'
  if ((c.req.header('Accept') ?? '').includes('text/html')) return 'page'
  return 'json'
}

/**
 * The one place where errors become responses. Server errors are logged with the request id
 * and shown to clients only as a generic message; client errors keep their message.
 */
export function renderError(c: Context<AppEnv>, thrown: unknown): Response | Promise<Response> {
  const error = toAppError(thrown)
  const requestId = c.get('requestId') ?? 'unknown'
  const shown = clientError(error)
  const message = shown.message
  if (error.status >= 500) {
    const logger = c.get('services')?.logger ?? fallbackLogger
    logger.error('request failed', {
      request_id: requestId,
      ...errorFields(error.cause ?? error),
      code: error.code,
    })
  }
  const status = error.status as ContentfulStatusCode
  const headers: Record<string, string> = {}
  if (error instanceof MethodNotAllowedError) headers.Allow = error.allow.join(', ')
  if (shown.retryAfterSeconds !== undefined)
    headers['Retry-After'] = String(shown.retryAfterSeconds)
  const retry =
    shown.retryAfterSeconds !== undefined && error.status < 500
      ? { retryAfterSeconds: shown.retryAfterSeconds }
      : {}
  if (error instanceof LimitError) {
    Object.assign(
      headers,
      rateLimitHeaders(error.limits, { openai: errorSurface(c.req.path) === 'openai' }),
    )
  }

  switch (errorFormat(c)) {
    case 'fragment':
      return c.html(
        <ErrorFragment code={error.code} message={message} requestId={requestId} {...retry} />,
        status,
        headers,
      )
    case 'page': {
      const page = (
        <ErrorPage
          status={error.status}
          code={error.code}
          message={message}
          requestId={requestId}
          {...retry}
        />
      )
      // Standards mode, as every other page: without the doctype a browser lays it out in
      // quirks mode.
      return Promise.resolve(page.toString()).then((html) =>
        c.html(`<!doctype html>${html}`, status, headers),
      )
    }
    default: {
      // The OpenAI- and Anthropic-compatible endpoints answer in their vendor's error shape.
      const surface = errorSurface(c.req.path)
      if (surface) {
        const body =
          surface === 'openai'
            ? openAiErrorBody(error, message)
            : anthropicErrorBody(error, message)
        return c.json(body, surfaceStatus(surface, error) as ContentfulStatusCode, headers)
      }
      const body: ErrorBody = { error: { code: error.code, message, request_id: requestId } }
      if (shown.details !== undefined) body.error.details = shown.details
      return c.json(body, status, headers)
    }
  }
}
