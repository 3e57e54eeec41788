import type { Message } from '../domain/history-records.ts'
import type { HistoryStore } from '../memory/history-store.ts'

/**
 * One message of the owner's conversation, by id; `undefined` when the conversation or the
 * message is not theirs to see. The store has no lookup by message id, so this walks the
 * conversation from its newest page: the images a page shows are almost always recent.
 */
export async function findMessage(
  history: HistoryStore,
  ownerId: string,
  conversationId: string,
  messageId: string,
): Promise<Message | undefined> {
  let cursor: string | undefined
  do {
    const page = await history.listMessages(ownerId, conversationId, {
      order: 'newest-first',
      limit: 100,
      ...(cursor ? { cursor } : {}),
    })
    if (!page) return undefined
    const found = page.items.find((message) => message.id === messageId)
    if (found) return found
    cursor = page.nextCursor
  } while (cursor)
  return undefined
}
