import { and, asc, eq, isNull } from 'drizzle-orm'
import { type LimitPolicy, limitNames, validLimit } from '../limits/limit-policy.ts'
import type { PostgresDatabase } from '../memory/postgres-history-store.ts'
import { toPostgresStoreError } from '../memory/postgres-store-error.ts'
import { apiKeys } from '../memory/schema.ts'
import { createTimeOrderedId } from '../memory/time-ordered-id.ts'
import { displayPrefix, hashApiKey, newApiKeySecret } from './api-key-secret.ts'
import type { ApiKey, ApiKeyStore } from './api-key-store.ts'

/** Options of `createPostgresApiKeyStore`. */
export interface PostgresApiKeyStoreOptions {
  /** A drizzle database with the history migrations applied (they create `api_keys`). */
  db: PostgresDatabase
  now?: () => number
  newId?: () => string
  newSecret?: () => string
}

/**
 * API keys in the `api_keys` table, on any drizzle PostgreSQL driver (PGlite, Neon, pg).
 * Lookups go through the unique index on `key_hash`.
 */
export function createPostgresApiKeyStore(options: PostgresApiKeyStoreOptions): ApiKeyStore {
  const { db } = options
  const now = options.now ?? Date.now
  const newId = options.newId ?? createTimeOrderedId(now)
  const newSecret = options.newSecret ?? newApiKeySecret

  async function guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      throw toPostgresStoreError('api-keys', operation, error)
    }
  }

  const findByHash = (hash: string) =>
    guard('findByHash', async () => {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, hash))
      return row && toApiKey(row)
    })

  return {
    create: ({ userId, name, limits }) =>
      guard('create', async () => {
        const secret = newSecret()
        const [row] = await db
          .insert(apiKeys)
          .values({
            id: newId(),
            userId,
            name,
            prefix: displayPrefix(secret),
            keyHash: await hashApiKey(secret),
            createdAt: new Date(now()),
            limits: limits && Object.keys(limits).length > 0 ? { ...limits } : null,
          })
          .returning()
        return { key: toApiKey(row!), secret }
      }),
    findByHash,
    async verify(secret) {
      const key = await findByHash(await hashApiKey(secret))
      return key && key.revokedAt === undefined ? key : undefined
    },
    markUsed: (id, at) =>
      guard('markUsed', async () => {
        await db
          .update(apiKeys)
          .set({ lastUsedAt: new Date(at) })
          .where(eq(apiKeys.id, id))
      }),
    list: (userId) =>
      guard('list', async () => {
        const rows = await db
          .select()
          .from(apiKeys)
          .where(eq(apiKeys.userId, userId))
          .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
        return rows.map(toApiKey)
      }),
    revoke: (id, userId) =>
      guard('revoke', async () => {
        const rows = await db
          .update(apiKeys)
          .set({ revokedAt: new Date(now()) })
          .where(
            and(
              eq(apiKeys.id, id),
              isNull(apiKeys.revokedAt),
              userId === undefined ? undefined : eq(apiKeys.userId, userId),
            ),
          )
          .returning({ id: apiKeys.id })
        return rows.length > 0
      }),
    setLimits: (id, limits) =>
      guard('setLimits', async () => {
        const rows = await db
          .update(apiKeys)
          .set({ limits: Object.keys(limits).length > 0 ? { ...limits } : null })
          .where(eq(apiKeys.id, id))
          .returning({ id: apiKeys.id })
        return rows.length > 0
      }),
  }
}

function toApiKey(row: typeof apiKeys.$inferSelect): ApiKey {
  const key: ApiKey = {
    id: row.id,
    userId: row.userId,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.getTime(),
  }
  if (row.lastUsedAt) key.lastUsedAt = row.lastUsedAt.getTime()
  if (row.revokedAt) key.revokedAt = row.revokedAt.getTime()
  const limits = storedLimits(row.limits)
  if (limits) key.limits = limits
  return key
}

// A row's limits as written by this store; anything else in the column is ignored.
function storedLimits(value: unknown): LimitPolicy | undefined {
  if (!value || typeof value !== 'object') return undefined
  const limits: LimitPolicy = {}
  for (const name of limitNames) {
    const limit = (value as Record<string, unknown>)[name]
    if (validLimit(limit)) limits[name] = limit
  }
  return Object.keys(limits).length > 0 ? limits : undefined
}
