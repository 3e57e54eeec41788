import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'

/**
 * One `request` record per request at info level: method, path (never the query, which may
 * carry tokens), status, duration and request id. Mounted after the services middleware, so
 * liveness probes and static files do not flood the log.
 */
export function requestLog(options: { now?: () => number } = {}): MiddlewareHandler<AppEnv> {
  const now = options.now ?? (() => performance.now())
  return async function logRequest(c, next) {
    const started = now()
    await next()
    c.var.services.logger.info('request', {
      request_id: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round(now() - started),
    })
  }
}
