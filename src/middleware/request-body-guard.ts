import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { AppError } from '../core/errors.ts'
import { requireShallowJson } from '../core/text/json-depth.ts'

const jsonMediaType = /^application\/([\w.-]{1,64}\+)?json$/i

/**
 * Checks what every body must satisfy before a route reads it: no `Content-Encoding` (we do
 * not decompress requests: a gzip body is a 415, not "malformed JSON"), and JSON nested at
 * most `MAX_JSON_DEPTH` deep (deeper gives a 400 before validation or `JSON.stringify` can
 * recurse). The JSON is parsed once here; Hono caches it for the route's validator, and a
 * body that does not parse is left for the route to refuse in its own words.
 */
export function requestBodyGuard(): MiddlewareHandler<AppEnv> {
  return async function guardBody(c, next) {
    // Not `!c.req.raw.body`: on Node, asking for the body builds the web `Request` behind it
    // (see withBufferedBody). A request with no body and a JSON type fails to parse below and
    // is left to its route, as one with a broken body is.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const encoding = c.req.header('Content-Encoding')?.trim().toLowerCase()
    if (encoding && encoding !== 'identity') {
      throw new AppError('unsupported_encoding', 'Request bodies must not be compressed', {
        status: 415,
        details: { content_encoding: 'identity' },
      })
    }
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
