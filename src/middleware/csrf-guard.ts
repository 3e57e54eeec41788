import type { MiddlewareHandler } from 'hono'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../app-env.ts'
import { csrfField } from '../views/csrf-input.tsx'
import { CsrfError } from './csrf-error.ts'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])
/** The header that carries the token (the form field is the views' `csrfField`). */
export const csrfHeader = 'X-CSRF-Token'

/**
 * Refuses state-changing requests that do not prove they come from our own pages: the
 * browser's Origin / Sec-Fetch-Site must be ours (hono/csrf), and the request must carry the
 * guest's CSRF token (an HMAC of its user id, see `guestIdentity`) in the `_csrf` field or the
 * `X-CSRF-Token` header. Runs after `guestIdentity`. A request without `Origin` (older
 * browsers, some privacy settings) passes the origin check when its `Referer` is ours, as
 * OWASP's CSRF cheat sheet advises; one with neither is refused.
 */
export function csrfGuard(): MiddlewareHandler<AppEnv> {
  const sameOrigin = csrf()
  return async function csrfGuardMiddleware(c, next) {
    if (safeMethods.has(c.req.method)) return next()
    try {
      await sameOrigin(c, async () => {})
    } catch (error) {
      if (!(error instanceof HTTPException)) throw error
      if (!sameOriginReferer(c.req.header('Origin'), c.req.header('Referer'), c.req.url)) {
        throw new CsrfError('origin', { cause: error })
      }
    }
    let token = c.req.header(csrfHeader)
    if (!token) {
      const type = c.req.header('Content-Type') ?? ''
      if (type.includes('form')) {
        // parseBody caches the body, so the handler can read it again.
        const field = (await c.req.parseBody())[csrfField]
        token = typeof field === 'string' ? field : undefined
      }
    }
    if (!c.var.guest?.verify(token)) throw new CsrfError('token')
    await next()
  }
}

/** True when there is no Origin header and the Referer names the request's own origin. */
function sameOriginReferer(
  origin: string | undefined,
  referer: string | undefined,
  url: string,
): boolean {
  if (origin !== undefined || !referer) return false
  try {
    return new URL(referer).origin === new URL(url).origin
  } catch {
    return false
  }
}
