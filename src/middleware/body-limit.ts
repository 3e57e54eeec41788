import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../app-env.ts'
import { PayloadTooLargeError } from '../core/errors.ts'
import { renderError } from './error-response.tsx'

/**
 * Rejects bodies over `MAX_BODY_BYTES` with 413, whether announced by Content-Length or
 * discovered while streaming. Hono's `bodyLimit` does the counting; we only supply the limit
 * from config and our error format. A body announced by Content-Length alone is judged here
 * from the headers, as `bodyLimit` would judge it (the server holds a body to its declared
 * length), because `bodyLimit` first asks whether there is a body, and on Node asking builds
 * the whole web `Request` that `withBufferedBody` spares the app.
 */
export function configuredBodyLimit(): MiddlewareHandler<AppEnv> {
  const byLimit = new Map<number, MiddlewareHandler<AppEnv>>()
  return function limitBody(c, next) {
    const maxSize = c.get('services').config.MAX_BODY_BYTES
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const length = c.req.header('Content-Length')
    if (length !== undefined && c.req.header('Transfer-Encoding') === undefined) {
      return Number.parseInt(length, 10) > maxSize
        ? Promise.resolve(renderError(c, new PayloadTooLargeError(maxSize)))
        : next()
    }
    let limiter = byLimit.get(maxSize)
    if (!limiter) {
      limiter = bodyLimit({
        maxSize,
        onError: (ctx) => renderError(ctx as typeof c, new PayloadTooLargeError(maxSize)),
      })
      byLimit.set(maxSize, limiter)
    }
    return limiter(c, next)
  }
}
