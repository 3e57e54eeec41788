import type { MiddlewareHandler } from 'hono'

/** A name with a content hash (`htmx-sse.3f2a9c1b07de.js`): its bytes never change. */
const hashedName = /\.[\da-f]{8,64}\.(?:js|css|svg|woff2?)$/

/**
 * Browser caching for the files under `public/` that `serve` answers: content-hashed names
 * are kept for a year (`immutable`); the others are revalidated on each use, cheaply, by a
 * strong `ETag` and `304 Not Modified`. Requests the static handler passes on are untouched
 * (their bodies may be streams that must not be read here). Only GET and HEAD look for a
 * file at all: on Node the handler stats the disk for every request it sees, and an API
 * POST must not pay for that.
 */
export function cachedStaticFiles(serve: MiddlewareHandler): MiddlewareHandler {
  return async function cachedStaticFiles(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
    let passed = false
    const answered = await serve(c, async () => {
      passed = true
      await next()
    })
    if (passed) return
    const res = answered ?? c.res
    if (res.status !== 200 || !res.body) return
    const headers = new Headers(res.headers)
    headers.set(
      'Cache-Control',
      hashedName.test(c.req.path) ? 'public, max-age=31536000, immutable' : 'public, no-cache',
    )
    const bytes = await res.arrayBuffer()
    const digest = await crypto.subtle.digest('SHA-256', bytes)
    const etag = `"${[...new Uint8Array(digest, 0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}"`
    headers.set('ETag', etag)
    const asked = c.req.header('If-None-Match') ?? ''
    const matches = asked
      .split(',')
      .some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag)
    if (matches) {
      headers.delete('Content-Length')
      headers.delete('Content-Type')
      c.res = new Response(null, { status: 304, headers })
    } else {
      c.res = new Response(bytes, { status: 200, headers })
    }
    return c.res
  }
}
