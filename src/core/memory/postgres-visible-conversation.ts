import { and, eq, isNull } from 'drizzle-orm'
import type { PostgresDatabase } from './postgres-history-store.ts'
import { conversations } from './schema.ts'

/**
 * The condition every history statement uses to reach a conversation: its id, its owner, and
 * not deleted. Kept in one place so that no statement can forget the owner or the deletion.
 */
export function visibleConversation(ownerId: string, id: string) {
  return and(
    eq(conversations.id, id),
    eq(conversations.ownerId, ownerId),
    isNull(conversations.deletedAt),
  )
}

/** The owner's visible conversation row, or undefined. */
export async function findConversation(db: PostgresDatabase, ownerId: string, id: string) {
  const [row] = await db.select().from(conversations).where(visibleConversation(ownerId, id))
  return row
}
