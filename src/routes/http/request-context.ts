import type { Context } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { UnauthorizedError } from '../../core/auth/unauthorized-error.ts'
import { cachePolicyFrom } from '../../core/cache/cache-policy.ts'
import {
  type RequestContext,
  type Surface,
  validTraceparent,
} from '../../core/gate/request-context.ts'
import type { LimitSnapshot } from '../../core/limits/limit-snapshot.ts'
import { rateLimitHeaders } from '../../middleware/rate-limit-headers.ts'

/**
 * The gate's view of an HTTP request: its principal (set by the surface's authentication),
 * surface, id, trace context, abort signal and cache policy (`Cache-Control`,
 * `X-Cache-Namespace`). A route without a principal is a 401.
 */
export function requestContext(c: Context<AppEnv>, surface: Surface): RequestContext {
  const principal = c.get('principal')
  if (!principal) throw new UnauthorizedError()
  const traceparent = validTraceparent(c.req.header('traceparent'))
  return {
    principal,
    surface,
    requestId: c.get('requestId'),
    ...(traceparent ? { traceparent } : {}),
    signal: c.req.raw.signal,
    defer: (promise) => c.get('services').defer(promise),
    // Admitted requests carry their limits too, so clients can slow down before a refusal.
    reportLimits: (limits: readonly LimitSnapshot[]) => {
      const headers = rateLimitHeaders(limits, { openai: surface === 'openai' })
      for (const [name, value] of Object.entries(headers)) c.header(name, value)
    },
    cache: cachePolicyFrom(c.req.header('cache-control'), c.req.header('x-cache-namespace')),
  }
}
