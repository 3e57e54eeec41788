import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../app-env.ts'
import { PayloadTooLargeError } from '../core/errors.ts'
import { renderError } from './error-response.tsx'

/**
 * Rejects bodies over `MAX_BODY_BYTES` with 413, whether announced by Content-Length or
 * discovered while streaming. Hono's `bodyLimit` does the counting; we only supply the limit
 * from config and our error format.
 */
export function configuredBodyLimit(): MiddlewareHandler<AppEnv> {
  const byLimit = new Map<number, MiddlewareHandler<AppEnv>>()
  return function limitBody(c, next) {
    const maxSize = c.get('services').config.MAX_BODY_BYTES
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
