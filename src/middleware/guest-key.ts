import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'

// At least 192 bits of base64url: guessing another holder's key is out of reach.
const keyPattern = /^Guest ([A-Za-z0-9_-]{32,256})$/

/**
 * A guest identity for programs, which cannot hold the browser's guest cookie (a WebSocket
 * client in a script, a test): `Authorization: Guest <key>`, where the key is a random string
 * the client made up and keeps. The user id is a hash of the key, so whoever holds the key is
 * that guest and nobody else can become it; no server secret is needed and nothing is stored
 * but the user row. A principal set earlier (cookie, API key) wins; a malformed key is ignored,
 * so the route behind decides what an anonymous caller gets.
 */
export function guestKey(): MiddlewareHandler<AppEnv> {
  return async function guestKey(c, next) {
    const key = c.var.principal ? undefined : keyPattern.exec(c.req.header('Authorization') ?? '')
    if (key?.[1]) {
      const userId = `gk-${await digest(key[1])}`
      await c.var.services.memory.history.upsertUser({ id: userId })
      c.set('principal', { userId, kind: 'guest' })
    }
    await next()
  }
}

async function digest(key: string): Promise<string> {
  const bytes = new TextEncoder().encode(`outpost guest key\0${key}`)
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  // 128 bits of the hash name the user: collisions stay out of reach, ids stay short.
  return [...hash.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
