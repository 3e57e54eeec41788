import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../app-env.ts'
import { UnauthorizedError } from '../core/auth/unauthorized-error.ts'

/** Options of `apiKeyAuth`. */
export interface ApiKeyAuthOptions {
  /** Paths that also accept the key in `x-api-key`, as Anthropic's clients send it. */
  xApiKeyPaths?: readonly string[]
  /**
   * Authenticate only when a credential is presented, and otherwise leave the caller
   * anonymous for the route to judge: for surfaces browsers reach with a cookie (`/chat`).
   * A presented key that is unknown or revoked is still a 401.
   */
  optional?: boolean
}

const bearer = /^Bearer\s+(\S+)\s*$/i

/**
 * Authenticates programs by API key and sets `c.get('principal')` to the key's user. A missing,
 * unknown or revoked key is a 401 with one message; a missing key is hashed and looked up like
 * any other (as the empty string), so the two cannot be told apart by timing.
 */
export function apiKeyAuth(options: ApiKeyAuthOptions = {}) {
  const xApiKeyPaths = new Set(options.xApiKeyPaths ?? [])
  return createMiddleware<AppEnv>(async function apiKeyAuthentication(c, next) {
    const path = c.req.path.replace(/\/+$/, '') || '/'
    const header = c.req.header('Authorization') ?? ''
    const fromHeader = bearer.exec(header)?.[1]
    const secret =
      fromHeader ?? (xApiKeyPaths.has(path) ? c.req.header('x-api-key')?.trim() : undefined)
    if (options.optional && secret === undefined) return next()
    const key = await c.get('services').apiKeys.verify(secret ?? '')
    if (!key) {
      c.header('WWW-Authenticate', 'Bearer realm="outpost"')
      throw new UnauthorizedError()
    }
    c.set('principal', {
      kind: 'api-key',
      userId: key.userId,
      keyId: key.id,
      ...(key.limits ? { limits: key.limits } : {}),
    })
    // Last use is for people deciding which keys to revoke: minute precision is plenty, and
    // it keeps the hot path free of a write per request.
    const now = Date.now()
    if (key.lastUsedAt === undefined || now - key.lastUsedAt > 60_000) {
      c.get('services').defer(c.get('services').apiKeys.markUsed(key.id, now))
    }
    return next()
  })
}
