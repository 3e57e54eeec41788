import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireShallowJson } from '../core/text/json-depth.ts'

const jsonMediaType = /^application\/([\w.-]{1,64}\+)?json$/i

/**
 * Checks what every body must satisfy before a route reads it: JSON nested at
 * most `MAX_JSON_DEPTH` deep (deeper gives a 400 before validation or `JSON.stringify` can
 * recurse). The JSON is parsed once here; Hono caches it for the route's validator, and a
 * body that does not parse is left for the route to refuse in its own words.
 */
export function requestBodyGuard(): MiddlewareHandler<AppEnv> {
  return async function guardBody(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || !c.req.raw.body) return next()
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? ''
    if (jsonMediaType.test(mediaType)) {
      let parsed: unknown
      try {
        parsed = await c.req.json()
      } catch {
        return next()
      }
      requireShallowJson(parsed, 'request body')
    }
    return next()
  }
}
