import type { Index } from '@upstash/vector'
import type { VectorFilter, VectorMatch, VectorMetadata } from './vector-store.ts'

type Target = Pick<Index, 'range'>

const pageSize = 1000

function belongs(metadata: Partial<VectorMetadata> | undefined, filter: VectorFilter): boolean {
  return (
    metadata?.owner === filter.owner &&
    typeof metadata.text === 'string' &&
    (filter.conversationId === undefined || metadata.conversationId === filter.conversationId) &&
    (filter.kind === undefined || metadata.kind === filter.kind)
  )
}

/**
 * An owner's records on Upstash Vector, newest first. Upstash has no metadata filter on
 * `range`, so this pages through the namespace and keeps the owner's: a scan of every vector,
 * fine for the memory page of a small deployment (`prefix` narrows it when ids allow).
 */
export async function listUpstashVectors(
  target: Target,
  filter: VectorFilter,
  options: { limit?: number; prefix?: string } = {},
): Promise<VectorMatch[]> {
  const found: VectorMatch[] = []
  let cursor: string | number = 0
  do {
    const page: { nextCursor: string; vectors: { id: string | number; metadata?: unknown }[] } =
      await target.range({
        cursor,
        limit: pageSize,
        includeMetadata: true,
        ...(options.prefix ? { prefix: options.prefix } : {}),
      })
    for (const vector of page.vectors) {
      const metadata = vector.metadata as Partial<VectorMetadata> | undefined
      if (belongs(metadata, filter))
        found.push({ id: String(vector.id), score: 1, metadata: metadata as VectorMetadata })
    }
    cursor = page.nextCursor
  } while (cursor !== '' && cursor !== '0')
  found.sort((a, b) => b.metadata.createdAt - a.metadata.createdAt || (a.id < b.id ? -1 : 1))
  return found.slice(0, options.limit ?? 500)
}
