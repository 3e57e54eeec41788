import type { HistoryStore } from '../memory/history-store.ts'
import type { TextIndex } from '../memory/text-index.ts'

/**
 * Deletes a conversation and everything remembered from it: its history (soft-deleted, so
 * usage stays accountable), the facts taken from it (hard-deleted, in whichever vector store
 * holds them); its working memory goes with the history (see `withWorkingMemory`). Returns whether the conversation was the owner's.
 */
export async function deleteConversation(
  deps: { history: HistoryStore; semantic: TextIndex },
  ownerId: string,
  conversationId: string,
): Promise<boolean> {
  const deleted = await deps.history.deleteConversation(ownerId, conversationId)
  if (!deleted) return false
  await deps.semantic.delete({ filter: { owner: ownerId, conversationId } })
  return true
}
