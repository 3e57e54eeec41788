import type { Principal } from './core/auth/principal.ts'
import type { Bindings } from './core/config.ts'
import type { RequestServices } from './core/services.ts'

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

/** What the guest-identity middleware tells the views about the visitor's session. */
export interface GuestSession {
  /** The token every state-changing form and htmx request must carry (see `csrfGuard`). */
  csrfToken: string
  /** True when the signing secret lives only in this isolate: the session ends with it. */
  ephemeral: boolean
  /** Verifies a submitted CSRF token in constant time. */
  verify(token: string | undefined): boolean
}
