import type { Principal } from './core/auth/principal.ts'
import type { Bindings } from './core/config.ts'
import type { RequestServices } from './core/services.ts'
import type { GuestSession } from './middleware/guest-session.ts'

/** The Hono environment of every route and middleware. */
export type AppEnv = {
  Bindings: Bindings
  Variables: {
    requestId: string
    services: RequestServices
    /** Set by the authentication middleware of the surface (guest cookie or API key). */
    principal?: Principal
    /** Set with a guest principal: the CSRF token for its forms and whether it survives restarts. */
    guest?: GuestSession
  }
}
