import type { LimitPolicy } from '../limits/limit-policy.ts'

/**
 * One API key as stored: never the secret, only a short `prefix` a person can recognise it
 * by. Timestamps are milliseconds since epoch.
 */
export interface ApiKey {
  id: string
  userId: string
  name: string
  /** The first characters of the secret, e.g. `op_3fK9a`, for lists and logs. */
  prefix: string
  createdAt: number
  lastUsedAt?: number
  revokedAt?: number
  /** The key's own limits over the configured defaults; absent fields follow the defaults. */
  limits?: LimitPolicy
}

/** A key just created: the record and its secret, which is shown once and never again. */
export interface CreatedApiKey {
  key: ApiKey
  secret: string
}

/**
 * API keys for programs. Only a SHA-256 hash of each secret is stored, so a leaked database
 * yields no usable key. `verify` always hashes and looks up, whatever the input, so a missing
 * key and an unknown one take the same path. Implementations: `createPostgresApiKeyStore`
 * (the `api_keys` table) and `createInMemoryApiKeyStore`. Rejects only with `StoreError`.
 */
export interface ApiKeyStore {
  /** Makes a key for `userId`, who must exist (see `HistoryStore.upsertUser`). */
  create(input: { userId: string; name: string; limits?: LimitPolicy }): Promise<CreatedApiKey>
  /** The key whose secret hashes to `hash` (hex SHA-256), revoked or not; else `undefined`. */
  findByHash(hash: string): Promise<ApiKey | undefined>
  /** The live (unrevoked) key for a presented secret; `undefined` for unknown or revoked. */
  verify(secret: string): Promise<ApiKey | undefined>
  /** Records that the key was used at `at` (ms); unknown ids are ignored. */
  markUsed(id: string, at: number): Promise<void>
  /** A user's keys, revoked ones included, oldest first. */
  list(userId: string): Promise<ApiKey[]>
  /**
   * Revokes a key (for `userId` only, when given). Returns whether a live key was revoked;
   * revoking twice or someone else's key is `false`.
   */
  revoke(id: string, userId?: string): Promise<boolean>
  /** Replaces a key's own limits (`{}` clears them). Returns whether the key exists. */
  setLimits(id: string, limits: LimitPolicy): Promise<boolean>
}
