import type { AppError } from '../core/errors.ts'
import { ProviderError } from '../core/models/provider-error.ts'

/** The compatible surfaces whose clients expect their vendor's error shape. */
export type ErrorSurface = 'openai' | 'anthropic'

/** OpenAI's error body: what the `openai` SDK turns into its error classes. */
export interface OpenAiErrorBody {
  error: {
    message: string
    type: string
    param: string | null
    code: string
    provider?: string
  }
}

/** Anthropic's error body: what `@anthropic-ai/sdk` turns into its error classes. */
export interface AnthropicErrorBody {
  type: 'error'
  error: { type: string; message: string; provider?: string }
}

/** Which vendor format a path's errors take; `undefined` means the project's own JSON. */
export function errorSurface(path: string): ErrorSurface | undefined {
  if (path.startsWith('/v1/messages')) return 'anthropic'
  if (path.startsWith('/v1/chat/completions') || path.startsWith('/v1/models')) return 'openai'
  return undefined
}

/**
 * The HTTP status on a surface. Anthropic's clients know 529 as "overloaded", so an
 * overloaded or rate-limited provider after every fallback is a 529 there.
 */
export function surfaceStatus(surface: ErrorSurface | undefined, error: AppError): number {
  const busy = error.code === 'provider_overloaded' || error.code === 'provider_rate_limited'
  return surface === 'anthropic' && busy ? 529 : error.status
}

/** `error` in OpenAI's format; `message` is what may be shown (see `AppError.expose`). */
export function openAiErrorBody(error: AppError, message: string): OpenAiErrorBody {
  const body: OpenAiErrorBody = {
    error: {
      message: withFirstIssue(message, error),
      type: openAiType(error.status),
      param: firstIssuePath(error) ?? null,
      code: error.code,
    },
  }
  if (error instanceof ProviderError) body.error.provider = error.provider
  return body
}

/** `error` in Anthropic's format. */
export function anthropicErrorBody(error: AppError, message: string): AnthropicErrorBody {
  const status = surfaceStatus('anthropic', error)
  const body: AnthropicErrorBody = {
    type: 'error',
    error: { type: anthropicType(status), message: withFirstIssue(message, error) },
  }
  if (error instanceof ProviderError) body.error.provider = error.provider
  return body
}

function openAiType(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 402) return 'insufficient_quota'
  if (status === 403) return 'permission_error'
  if (status === 404) return 'not_found_error'
  if (status === 429) return 'rate_limit_error'
  if (status < 500) return 'invalid_request_error'
  return 'server_error'
}

function anthropicType(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 402) return 'billing_error'
  if (status === 403) return 'permission_error'
  if (status === 404) return 'not_found_error'
  if (status === 413) return 'request_too_large'
  if (status === 429) return 'rate_limit_error'
  if (status === 529) return 'overloaded_error'
  if (status < 500) return 'invalid_request_error'
  return 'api_error'
}

type Issue = { path?: string; message?: string }

function firstIssue(error: AppError): Issue | undefined {
  return Array.isArray(error.details) && error.expose ? (error.details[0] as Issue) : undefined
}

function firstIssuePath(error: AppError): string | undefined {
  return firstIssue(error)?.path || undefined
}

// Vendor clients show only `message`, so the first offending field goes into it.
function withFirstIssue(message: string, error: AppError): string {
  const issue = firstIssue(error)
  if (!issue?.message) return message
  return `${message}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`
}
