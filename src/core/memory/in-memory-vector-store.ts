import type {
  VectorFilter,
  VectorMatch,
  VectorMetadata,
  VectorRecord,
  VectorStore,
} from './vector-store.ts'
import { checkFilter, checkVector } from './vector-store-errors.ts'

const defaultListLimit = 500

/** Options of `createInMemoryVectorStore`. */
export interface InMemoryVectorStoreOptions {
  /** Length of every vector stored. */
  dimension: number
}

interface Stored {
  vector: Float64Array
  norm: number
  metadata: VectorMetadata
}

function matches(metadata: VectorMetadata, filter: VectorFilter): boolean {
  return (
    metadata.owner === filter.owner &&
    (filter.conversationId === undefined || metadata.conversationId === filter.conversationId) &&
    (filter.kind === undefined || metadata.kind === filter.kind)
  )
}

/**
 * The embedded `VectorStore`: exact (brute-force) cosine search over a `Map`, scored as
 * Upstash does, `(1 + cosine) / 2`. Fine for tests and small memories; records are copied in
 * and out so callers cannot change stored state.
 */
export function createInMemoryVectorStore(options: InMemoryVectorStoreOptions): VectorStore {
  const { dimension } = options
  const records = new Map<string, Stored>()

  return {
    dimension,
    async upsert(batch: readonly VectorRecord[]) {
      for (const record of batch) checkVector(record.vector, dimension)
      for (const record of batch) {
        const vector = Float64Array.from(record.vector)
        records.set(record.id, {
          vector,
          norm: Math.hypot(...vector),
          metadata: structuredClone(record.metadata),
        })
      }
    },
    async query(vector, queryOptions) {
      checkVector(vector, dimension)
      const topK = queryOptions?.topK ?? 10
      const filter = checkFilter(queryOptions?.filter)
      const queryNorm = Math.hypot(...vector)
      const results: VectorMatch[] = []
      for (const [id, stored] of records) {
        if (!matches(stored.metadata, filter)) continue
        let dot = 0
        for (let i = 0; i < dimension; i++)
          dot += (vector[i] as number) * (stored.vector[i] as number)
        const denominator = queryNorm * stored.norm
        const cosine = denominator === 0 ? 0 : Math.max(-1, Math.min(1, dot / denominator))
        results.push({ id, score: (1 + cosine) / 2, metadata: stored.metadata })
      }
      results.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
      return results
        .slice(0, topK)
        .map((match) => ({ ...match, metadata: structuredClone(match.metadata) }))
    },
    async list(listFilter, listOptions) {
      const filter = checkFilter(listFilter)
      const found: VectorMatch[] = []
      for (const [id, stored] of records) {
        if (matches(stored.metadata, filter))
          found.push({ id, score: 1, metadata: structuredClone(stored.metadata) })
      }
      found.sort((a, b) => b.metadata.createdAt - a.metadata.createdAt || (a.id < b.id ? -1 : 1))
      return found.slice(0, listOptions?.limit ?? defaultListLimit)
    },
    async delete(selector) {
      let deleted = 0
      if ('ids' in selector) {
        for (const id of selector.ids) if (records.delete(id)) deleted++
        return deleted
      }
      const filter = checkFilter(selector.filter)
      for (const [id, stored] of records) {
        if (matches(stored.metadata, filter) && records.delete(id)) deleted++
      }
      return deleted
    },
  }
}
