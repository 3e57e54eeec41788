import type { TextIndex } from '../memory/text-index.ts'

/** How long memories are kept (`MEMORY_TTL_DAYS`), and the clock that ages them. */
export interface MemoryRetention {
  /** Age after which a memory is forgotten; unset keeps memories until they are deleted. */
  memoryTtlMs?: number
  now?: () => number
}

/** The retention of `MEMORY_TTL_DAYS` (undefined when unset). */
export const memoryTtlMs = (days: number | undefined) =>
  days === undefined ? undefined : days * 86_400_000

/**
 * Whether a memory stored at `createdAt` has outlived the TTL. An updated fact is stored anew
 * with the update's time (see `storeFact`), so it ages from its update.
 */
export function isExpired(retention: MemoryRetention, createdAt: number): boolean {
  if (retention.memoryTtlMs === undefined) return false
  return (retention.now ?? Date.now)() - createdAt > retention.memoryTtlMs
}

/**
 * Deletes the owner's expired memories; returns how many went. Lazy: called where the owner's
 * memories are read or written anyway, so no scheduler is needed on any runtime. It sees the
 * newest `limit` memories, like the memory page; what lies beyond is already never recalled
 * and goes once newer ones have.
 */
export async function purgeExpiredMemories(
  deps: { semantic: TextIndex } & MemoryRetention,
  ownerId: string,
  limit: number,
): Promise<number> {
  if (deps.memoryTtlMs === undefined) return 0
  const all = await deps.semantic.list({ owner: ownerId }, { limit })
  const ids = all.filter((memory) => isExpired(deps, memory.metadata.createdAt)).map((m) => m.id)
  return ids.length === 0 ? 0 : deps.semantic.delete({ ids })
}
