import type { Context } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { UnauthorizedError } from '../../core/auth/unauthorized-error.ts'
import {
  type RequestContext,
  type Surface,
  validTraceparent,
} from '../../core/gate/request-context.ts'

/**
 * The gate's view of an HTTP request: its principal (set by the surface's authentication),
 * surface, id, trace context and abort signal. A route without a principal is a 401.
 */
export function requestContext(c: Context<AppEnv>, surface: Surface): RequestContext {
  const principal = c.var.principal
  if (!principal) throw new UnauthorizedError()
  const traceparent = validTraceparent(c.req.header('traceparent'))
  return {
    principal,
    surface,
    requestId: c.var.requestId,
    ...(traceparent ? { traceparent } : {}),
    signal: c.req.raw.signal,
  }
}
