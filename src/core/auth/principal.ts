import type { LimitPolicy } from '../limits/limit-policy.ts'

/**
 * Who is calling: a browser's guest identity (signed cookie) or a program's API key. Every
 * conversation and run belongs to `userId`; handlers pass it to core as the owner.
 */
export interface Principal {
  userId: string
  kind: 'guest' | 'api-key'
  /** The API key's id, for `api-key` principals (never the secret). */
  keyId?: string
  /** The key's own limits, over the configured defaults (see `effectivePolicy`). */
  limits?: LimitPolicy
}
