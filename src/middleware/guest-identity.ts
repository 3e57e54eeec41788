import type { Context, MiddlewareHandler } from 'hono'
import { getSignedCookie, setSignedCookie } from 'hono/cookie'
import type { AppEnv, GuestSession } from '../app-env.ts'
import { constantTimeEqual } from '../core/auth/constant-time-equal.ts'
import type { Config } from '../core/config.ts'
import type { PlatformCapabilities } from '../core/platform-capabilities.ts'

/** Options of `guestIdentity`. */
export interface GuestIdentityOptions {
  platform: Pick<PlatformCapabilities, 'sessionSecret'>
  cookieName?: string
  newId?: () => string
  /**
   * Whether a visitor without a valid cookie gets a new identity here (default: always).
   * False for surfaces that only recognise browsers already known (`/chat`), so an anonymous
   * caller stays anonymous for the route to refuse and a program's API key decides instead.
   * One middleware serves every surface so they share the signing secret.
   */
  mintNew?: (c: Context<AppEnv>) => boolean
  /** Runs before a new identity is minted; throws to refuse (the per-address limit). */
  admitNew?: (c: Context<AppEnv>) => Promise<void>
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])
const yearSeconds = 365 * 24 * 3600
const idPattern = /^[\w-]{8,64}$/

/**
 * Gives every browser a guest identity: a signed, HttpOnly, SameSite=Lax cookie holding its
 * user id (Secure on https). Sets `c.var.principal` (`kind: 'guest'`) and `c.var.guest` (the
 * CSRF token), and makes sure the user exists before anything is written on its behalf.
 *
 * The signing secret is SESSION_SECRET, else the platform's generated one (kept under
 * DATA_DIR), else one made for this isolate only (Workers without SESSION_SECRET), which the
 * UI announces because sessions then end with the isolate.
 */
export function guestIdentity(options: GuestIdentityOptions): MiddlewareHandler<AppEnv> {
  const cookieName = options.cookieName ?? 'outpost_guest'
  const newId = options.newId ?? (() => crypto.randomUUID())
  let isolateSecret: string | undefined
  const keys = new Map<string, Promise<CryptoKey>>()

  const secretFor = async (config: Config): Promise<{ secret: string; ephemeral: boolean }> => {
    if (config.SESSION_SECRET) return { secret: config.SESSION_SECRET, ephemeral: false }
    const generated = await options.platform.sessionSecret?.(config)
    if (generated) return { secret: generated, ephemeral: false }
    isolateSecret ??= randomHex(32)
    return { secret: isolateSecret, ephemeral: true }
  }

  const hmacKey = (secret: string) => {
    let key = keys.get(secret)
    if (!key) {
      key = crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      )
      keys.set(secret, key)
    }
    return key
  }

  return async function guestIdentityMiddleware(c, next) {
    const services = c.var.services
    const { secret, ephemeral } = await secretFor(services.config)
    const signed = await getSignedCookie(c, secret, cookieName)
    const known = typeof signed === 'string' && idPattern.test(signed) ? signed : undefined
    if (!known && options.mintNew && !options.mintNew(c)) return next()
    if (!known) await options.admitNew?.(c)
    const userId = known ?? newId()
    if (!known) {
      await setSignedCookie(c, cookieName, userId, secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        // Behind a TLS-terminating proxy the app sees http; the proxy's header only adds Secure.
        secure:
          new URL(c.req.url).protocol === 'https:' || c.req.header('X-Forwarded-Proto') === 'https',
        maxAge: yearSeconds,
      })
    }
    // A new guest, or a write: the user row must exist (in-memory history forgets on restart).
    if (!known || !safeMethods.has(c.req.method)) {
      await services.memory.history.upsertUser({ id: userId })
    }
    const csrfToken = await sign(await hmacKey(secret), `csrf:${userId}`)
    const session: GuestSession = {
      csrfToken,
      ephemeral,
      verify: (token) => typeof token === 'string' && constantTimeEqual(token, csrfToken),
    }
    c.set('principal', { userId, kind: 'guest' })
    c.set('guest', session)
    await next()
  }
}

async function sign(key: CryptoKey, text: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)))
  let binary = ''
  for (const byte of mac) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('')
}
