import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'

/**
 * One `request` record per request at info level: method, path (never the query, which may
 * carry tokens), status, duration and request id. Mounted after liveness and static files (so
 * they do not flood the log) but before the services middleware: the duration includes the
 * wait for services and the database, which is what the caller really waited.
 */
export function requestLog(options: { now?: () => number } = {}): MiddlewareHandler<AppEnv> {
  const now = options.now ?? (() => performance.now())
  return async function logRequest(c, next) {
    const started = now()
    await next()
    // Absent when the services could not be built (invalid configuration): nothing to log with.
    const services = c.get('services') as typeof c.var.services | undefined
    services?.logger.info('request', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round(now() - started),
    })
  }
}
