import type { TextIndex } from '../memory/text-index.ts'
import type { VectorMatch } from '../memory/vector-store.ts'
import { lexicalScore } from './lexical-score.ts'
import { isExpired, type MemoryRetention } from './memory-retention.ts'

/** The most memories a page or an API answer lists. */
export const listedMemories = 500

/** One memory as the memory page and `/api/memories` show it. */
export interface MemoryEntry {
  id: string
  text: string
  kind: string
  conversationId?: string
  messageId?: string
  createdAt: number
}

function entry(match: VectorMatch): MemoryEntry {
  const { metadata } = match
  return {
    id: match.id,
    text: metadata.text,
    kind: metadata.kind ?? 'memory',
    ...(metadata.conversationId ? { conversationId: metadata.conversationId } : {}),
    ...(metadata.messageId ? { messageId: metadata.messageId } : {}),
    createdAt: metadata.createdAt,
  }
}

/**
 * Everything Outpost remembers about the owner, newest first; with `query`, only memories that
 * contain it or share a content word with it (a search a person can predict, unlike a vector's).
 * Memories past the TTL are left out and deleted (in the background when `defer` is given).
 */
export async function listMemories(
  deps: { semantic: TextIndex; defer?: (promise: Promise<unknown>) => void } & MemoryRetention,
  ownerId: string,
  query?: string,
): Promise<MemoryEntry[]> {
  const listed = await deps.semantic.list({ owner: ownerId }, { limit: listedMemories })
  const expired = listed.filter((memory) => isExpired(deps, memory.metadata.createdAt))
  if (expired.length > 0) {
    const purge = deps.semantic.delete({ ids: expired.map((memory) => memory.id) })
    if (deps.defer) deps.defer(purge)
    else await purge
  }
  const gone = new Set(expired)
  const all = listed.filter((memory) => !gone.has(memory)).map(entry)
  const q = query?.trim()
  if (!q) return all
  const needle = q.toLowerCase()
  return all.filter(
    (memory) => memory.text.toLowerCase().includes(needle) || lexicalScore(q, memory.text) > 0,
  )
}

/**
 * Deletes one of the owner's memories. An id that is not among the owner's is "not found",
 * whoever it belongs to: the store is asked to delete only ids the owner's listing holds.
 */
export async function forgetMemory(
  deps: { semantic: TextIndex },
  ownerId: string,
  id: string,
): Promise<boolean> {
  const owned = await deps.semantic.list({ owner: ownerId }, { limit: listedMemories })
  if (!owned.some((memory) => memory.id === id)) return false
  return (await deps.semantic.delete({ ids: [id] })) > 0
}

/** Deletes every memory of the owner; returns how many went. */
export function forgetAllMemories(deps: { semantic: TextIndex }, ownerId: string): Promise<number> {
  return deps.semantic.delete({ filter: { owner: ownerId } })
}
