import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { type PgDatabase, type PgQueryResultHKT, unionAll } from 'drizzle-orm/pg-core'
import type { RunPatch } from '../domain/history-records.ts'
import type { HistoryStore } from './history-store.ts'
import { searchPostgresConversations } from './postgres-conversation-search.ts'
import { queryDailyUsage } from './postgres-daily-usage.ts'
import { pageBounds, toPage } from './postgres-history-page.ts'
import { toConversation, toMessage, toRun, toUser } from './postgres-history-rows.ts'
import { toPostgresStoreError } from './postgres-store-error.ts'
import { supersedePostgresMessages } from './postgres-supersede-messages.ts'
import { findConversation, visibleConversation } from './postgres-visible-conversation.ts'
import { conversations, messages, runs, users } from './schema.ts'
import { createTimeOrderedId } from './time-ordered-id.ts'

/** Any drizzle PostgreSQL database: pglite, neon-http, neon-serverless, node-postgres. */
export type PostgresDatabase = PgDatabase<PgQueryResultHKT>

/** Options of `createPostgresHistoryStore`. */
export interface PostgresHistoryStoreOptions {
  /** A drizzle database whose schema has the history migrations applied. */
  db: PostgresDatabase
  /** Milliseconds since epoch; every stored timestamp comes from here. */
  now?: () => number
  /** Ids for new rows; must sort in creation order (the default makes UUIDv7). */
  newId?: () => string
}

/**
 * The history store on PostgreSQL through drizzle, written once for every driver. No method
 * relies on a transaction, because neon-http has none: ownership checks and writes are single
 * statements (`UPDATE ... WHERE owner_id = $1 RETURNING`; append touches the conversation and
 * inserts from what it touched, in one statement), so a write is never an orphan or foreign.
 * Over Neon's HTTP path each statement is a round trip from the edge: keep them few.
 */
export function createPostgresHistoryStore(options: PostgresHistoryStoreOptions): HistoryStore {
  const { db } = options
  const now = options.now ?? Date.now
  const newId = options.newId ?? createTimeOrderedId(now)

  async function guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      throw toPostgresStoreError('history', operation, error)
    }
  }

  return {
    upsertUser: (user) =>
      guard('upsertUser', async () => {
        const set: Partial<typeof users.$inferInsert> = {}
        if (user.email !== undefined) set.email = user.email
        if (user.displayName !== undefined) set.displayName = user.displayName
        const [row] = await db
          .insert(users)
          .values({ ...set, id: user.id, createdAt: new Date(now()) })
          // Updating the id to itself makes RETURNING yield the existing row.
          .onConflictDoUpdate({ target: users.id, set: { ...set, id: user.id } })
          .returning()
        return toUser(row!)
      }),

    getUser: (id) =>
      guard('getUser', async () => {
        const [row] = await db.select().from(users).where(eq(users.id, id))
        return row && toUser(row)
      }),

    createConversation: (ownerId, input = {}) =>
      guard('createConversation', async () => {
        const at = new Date(now())
        const [row] = await db
          .insert(conversations)
          .values({ id: newId(), ownerId, title: input.title ?? '', createdAt: at, updatedAt: at })
          .returning()
        return toConversation(row!)
      }),

    getConversation: (ownerId, id) =>
      guard('getConversation', async () => {
        const row = await findConversation(db, ownerId, id)
        return row && toConversation(row)
      }),

    listConversations: (ownerId, page = {}) =>
      guard('listConversations', async () => {
        const { limit, after } = pageBounds('conversations', page, 'desc', [
          conversations.updatedAt,
          conversations.id,
        ])
        const rows = await db
          .select()
          .from(conversations)
          .where(and(eq(conversations.ownerId, ownerId), isNull(conversations.deletedAt), after))
          .orderBy(desc(conversations.updatedAt), desc(conversations.id))
          .limit(limit + 1)
        return toPage('conversations', rows.map(toConversation), limit, (c) => c.updatedAt)
      }),

    searchConversations: (ownerId, query, options = {}) =>
      guard('searchConversations', () =>
        searchPostgresConversations(db, ownerId, query, options.limit),
      ),

    renameConversation: (ownerId, id, title) =>
      guard('renameConversation', async () => {
        const [row] = await db
          .update(conversations)
          .set({ title, updatedAt: new Date(now()) })
          .where(visibleConversation(ownerId, id))
          .returning()
        return row && toConversation(row)
      }),

    deleteConversation: (ownerId, id) =>
      guard('deleteConversation', async () => {
        const rows = await db
          .update(conversations)
          .set({ deletedAt: new Date(now()) })
          .where(visibleConversation(ownerId, id))
          .returning({ id: conversations.id })
        return rows.length > 0
      }),

    appendMessages: (ownerId, conversationId, input) =>
      guard('appendMessages', async () => {
        const at = new Date(now())
        const touch = db
          .update(conversations)
          .set({ updatedAt: at })
          .where(visibleConversation(ownerId, conversationId))
          .returning({ id: conversations.id })
        if (input.length === 0) return (await touch).length === 0 ? undefined : []
        // One statement (one round trip over Neon's HTTP path): the conversation is touched
        // only if it is the owner's, and the messages are inserted from what was touched.
        const touched = db.$with('touched').as(touch)
        const ids = input.map(() => newId())
        const when = at.toISOString()
        const json = (value: unknown) => (value == null ? null : JSON.stringify(value))
        const rowOf = (m: (typeof input)[number], i: number) =>
          db
            .select({
              id: sql<string>`${ids[i]}::text`.as('id'),
              conversationId: touched.id,
              ownerId: sql<string>`${ownerId}::text`.as('owner_id'),
              role: sql<string>`${m.role}::text`.as('role'),
              content: sql`${json(m.content)}::jsonb`.as('content'),
              model: sql<string>`${m.model ?? null}::text`.as('model'),
              inputTokens: sql<number>`${m.usage?.inputTokens ?? null}::integer`.as('input_tokens'),
              outputTokens: sql<number>`${m.usage?.outputTokens ?? null}::integer`.as(
                'output_tokens',
              ),
              costUsd: sql<number>`${m.usage?.costUsd ?? null}::double precision`.as('cost_usd'),
              toolCalls: sql`${json(m.toolCalls)}::jsonb`.as('tool_calls'),
              toolResults: sql`${json(m.toolResults)}::jsonb`.as('tool_results'),
              createdAt: sql<Date>`${when}::timestamptz`.as('created_at'),
              supersededAt: sql<Date>`null::timestamptz`.as('superseded_at'),
            })
            .from(touched)
        const [first, ...rest] = input.map(rowOf)
        const rows = await db
          .with(touched)
          .insert(messages)
          .select(rest.length === 0 ? first! : unionAll(first!, rest[0]!, ...rest.slice(1)))
          .returning()
        if (rows.length === 0) return undefined
        // RETURNING order is not guaranteed; give them back in the order they were given.
        const byId = new Map(rows.map((row) => [row.id, toMessage(row)]))
        return ids.map((id) => byId.get(id)!)
      }),

    supersedeMessages: (ownerId, conversationId, messageId) =>
      guard('supersedeMessages', () =>
        supersedePostgresMessages(db, new Date(now()), ownerId, conversationId, messageId),
      ),

    listMessages: (ownerId, conversationId, page = {}) =>
      guard('listMessages', async () => {
        const newestFirst = page.order === 'newest-first'
        const kind = newestFirst ? 'messages-desc' : 'messages-asc'
        const { limit, after } = pageBounds(kind, page, newestFirst ? 'desc' : 'asc', [
          messages.createdAt,
          messages.id,
        ])
        const order = newestFirst ? desc : asc
        const rows = await db
          .select({ message: messages })
          .from(messages)
          .innerJoin(conversations, eq(conversations.id, messages.conversationId))
          .where(
            and(
              eq(messages.conversationId, conversationId),
              visibleConversation(ownerId, conversationId),
              isNull(messages.supersededAt),
              after,
            ),
          )
          .orderBy(order(messages.createdAt), order(messages.id))
          .limit(limit + 1)
        if (rows.length === 0 && !(await findConversation(db, ownerId, conversationId))) {
          return undefined
        }
        const items = rows.map((r) => toMessage(r.message))
        return toPage(kind, items, limit, (m) => m.createdAt)
      }),

    createRun: (ownerId, input) =>
      guard('createRun', async () => {
        // One statement (one round trip over Neon's HTTP path): the row is inserted only
        // when the conversation is the owner's, as INSERT ... SELECT from that conversation.
        const at = new Date(now()).toISOString()
        const route = input.route === undefined ? null : JSON.stringify(input.route)
        const [row] = await db
          .insert(runs)
          .select(
            db
              .select({
                id: sql<string>`${newId()}::text`.as('id'),
                conversationId: conversations.id,
                ownerId: conversations.ownerId,
                status: sql<string>`${input.status ?? 'running'}::text`.as('status'),
                route: sql`${route}::jsonb`.as('route'),
                error: sql`null::jsonb`.as('error'),
                inputTokens: sql<number>`null::integer`.as('input_tokens'),
                outputTokens: sql<number>`null::integer`.as('output_tokens'),
                costUsd: sql<number>`null::double precision`.as('cost_usd'),
                startedAt: sql<Date>`${at}::timestamptz`.as('started_at'),
                updatedAt: sql<Date>`${at}::timestamptz`.as('updated_at'),
                finishedAt: sql<Date>`null::timestamptz`.as('finished_at'),
              })
              .from(conversations)
              .where(visibleConversation(ownerId, input.conversationId)),
          )
          .returning()
        return row && toRun(row)
      }),

    updateRun: (ownerId, id, patch) =>
      guard('updateRun', async () => {
        const visible = db
          .select({ id: conversations.id })
          .from(conversations)
          .where(and(eq(conversations.ownerId, ownerId), isNull(conversations.deletedAt)))
        const [row] = await db
          .update(runs)
          .set(runChanges(patch, now()))
          .where(
            and(eq(runs.id, id), eq(runs.ownerId, ownerId), inArray(runs.conversationId, visible)),
          )
          .returning()
        return row && toRun(row)
      }),

    getRun: (ownerId, id) =>
      guard('getRun', async () => {
        const [row] = await db
          .select({ run: runs })
          .from(runs)
          .innerJoin(conversations, eq(conversations.id, runs.conversationId))
          .where(
            and(
              eq(runs.id, id),
              eq(runs.ownerId, ownerId),
              eq(conversations.ownerId, ownerId),
              isNull(conversations.deletedAt),
            ),
          )
        return row && toRun(row.run)
      }),

    usageByDay: (ownerId, range) => guard('usageByDay', () => queryDailyUsage(db, ownerId, range)),
  }
}

function runChanges(patch: RunPatch, at: number): Partial<typeof runs.$inferInsert> {
  const changes: Partial<typeof runs.$inferInsert> = { updatedAt: new Date(at) }
  if (patch.status !== undefined) changes.status = patch.status
  if (patch.route !== undefined) changes.route = patch.route
  if (patch.error !== undefined) changes.error = patch.error
  if (patch.usage !== undefined) {
    changes.inputTokens = patch.usage.inputTokens
    changes.outputTokens = patch.usage.outputTokens
    changes.costUsd = patch.usage.costUsd ?? null
  }
  if (patch.finishedAt !== undefined) changes.finishedAt = new Date(patch.finishedAt)
  return changes
}
