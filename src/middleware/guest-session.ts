/** What the guest-identity middleware tells the views about the visitor's session. */
export interface GuestSession {
  /** The token every state-changing form and htmx request must carry (see `csrfGuard`). */
  csrfToken: string
  /** True when the signing secret lives only in this isolate: the session ends with it. */
  ephemeral: boolean
  /** Verifies a submitted CSRF token in constant time. */
  verify(token: string | undefined): boolean
}
