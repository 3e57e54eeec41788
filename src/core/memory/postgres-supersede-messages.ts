import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { PostgresDatabase } from './postgres-history-store.ts'
import { findConversation, visibleConversation } from './postgres-visible-conversation.ts'
import { conversations, messages } from './schema.ts'

/**
 * Marks `messageId` and every later message of the owner's conversation superseded (an edit
 * replaces them), in one statement because neon-http has no transactions. Returns how many
 * were marked, 0 when the message is unknown or already superseded, and undefined when the
 * conversation is not the owner's or is deleted.
 */
export async function supersedePostgresMessages(
  db: PostgresDatabase,
  at: Date,
  ownerId: string,
  conversationId: string,
  messageId: string,
): Promise<number | undefined> {
  // The message and those after it in (time, id) order, in the owner's visible conversation,
  // not yet superseded. A superseded or absent `messageId` makes the row comparison null, so
  // nothing is marked: of two racing edits, one marks 0.
  const visible = db
    .select({ id: conversations.id })
    .from(conversations)
    .where(visibleConversation(ownerId, conversationId))
  const rows = await db
    .update(messages)
    .set({ supersededAt: at })
    .where(
      and(
        eq(messages.conversationId, conversationId),
        eq(messages.ownerId, ownerId),
        isNull(messages.supersededAt),
        inArray(messages.conversationId, visible),
        sql`(${messages.createdAt}, ${messages.id}) >= (
          select m.created_at, m.id from ${messages} m
          where m.id = ${messageId} and m.conversation_id = ${conversationId}
            and m.superseded_at is null
        )`,
      ),
    )
    .returning({ id: messages.id })
  if (rows.length > 0) return rows.length
  return (await findConversation(db, ownerId, conversationId)) ? 0 : undefined
}
