import { and, desc, eq, ilike, isNull, or, sql } from 'drizzle-orm'
import { type ConversationMatch, searchLimits } from './history-store.ts'
import { toConversation } from './postgres-history-rows.ts'
import type { PostgresDatabase } from './postgres-history-store.ts'
import { conversations, messages } from './schema.ts'

/**
 * The owner's conversations whose title or message text contains `query` (a literal,
 * case-insensitive substring), newest first, each with the oldest matching message's text.
 * Superseded messages (replaced by an edit) are not searched.
 */
export async function searchPostgresConversations(
  db: PostgresDatabase,
  ownerId: string,
  query: string,
  limit?: number,
): Promise<ConversationMatch[]> {
  const needle = query.trim()
  if (!needle) return []
  const most = Math.min(limit ?? searchLimits.default, searchLimits.max)
  // A literal substring: LIKE's own characters (and its escape, a backslash) escaped.
  const pattern = `%${needle.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
  // The oldest message whose text parts (joined by newlines) contain the query. The outer
  // table is named in full: drizzle writes a bare "id" in a select list, which here would
  // mean the message's.
  const messageText = sql<string | null>`(
    select t.text from ${messages} msg,
      lateral (
        select string_agg(e.part->>'text', chr(10) order by e.n) as text
        from jsonb_array_elements(msg.content) with ordinality as e(part, n)
        where e.part->>'type' = 'text' and jsonb_typeof(e.part->'text') = 'string'
      ) t
    where msg.conversation_id = conversations.id and msg.superseded_at is null
      and t.text ilike ${pattern}
    order by msg.created_at, msg.id
    limit 1
  )`
  const rows = await db
    .select({ conversation: conversations, messageText })
    .from(conversations)
    .where(
      and(
        eq(conversations.ownerId, ownerId),
        isNull(conversations.deletedAt),
        or(ilike(conversations.title, pattern), sql`${messageText} is not null`),
      ),
    )
    .orderBy(desc(conversations.updatedAt), desc(conversations.id))
    .limit(most)
  return rows.map((row) => ({
    conversation: toConversation(row.conversation),
    ...(row.messageText !== null ? { messageText: row.messageText } : {}),
  }))
}
