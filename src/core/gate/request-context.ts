import type { Principal } from '../auth/principal.ts'
import type { CachePolicy } from '../cache/cache-policy.ts'
import type { LimitSnapshot } from '../limits/limit-snapshot.ts'

/** Every surface that can start model work. */
export const surfaces = [
  'ui-htmx',
  'ui-form',
  'websocket',
  'rest',
  'openai',
  'anthropic',
  'mcp',
] as const

/** Where a request for model work came from; stages may treat surfaces differently. */
export type Surface = (typeof surfaces)[number]

/**
 * Who asks for model work, from where, and within what limits: what every gate stage sees
 * besides the work itself. Built by the surface (an HTTP route, or a WebSocket frame after
 * the upgrade), never from a framework context inside core.
 */
export interface RequestContext {
  principal: Principal
  surface: Surface
  /** The request id (a WebSocket frame's is its socket's id, a colon and the frame's number). */
  requestId: string
  /** The caller's W3C `traceparent`, when it sent a well-formed one. */
  traceparent?: string
  /** Aborts when the caller goes away. Runs of conversations outlive it; stages should not. */
  signal?: AbortSignal
  /** Epoch milliseconds after which the caller no longer wants an answer. */
  deadline?: number
  /** Hands background work a stage starts (a limiter's `pending`) to the platform's `waitUntil`. */
  defer?(promise: Promise<unknown>): void
  /** Hears where the caller's limits stand once admitted, for the surface's headers. */
  reportLimits?(limits: readonly LimitSnapshot[]): void
  /** What the caller lets the response cache do (its `Cache-Control`); the default when absent. */
  cache?: CachePolicy
}

const traceparentPattern = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/

/** A `traceparent` header value if it is well-formed (W3C Trace Context), else undefined. */
export function validTraceparent(value: string | undefined): string | undefined {
  const trimmed = value?.trim().toLowerCase()
  return trimmed && trimmed.length <= 64 && traceparentPattern.test(trimmed) ? trimmed : undefined
}
