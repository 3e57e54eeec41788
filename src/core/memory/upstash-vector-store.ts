import type { Index } from '@upstash/vector'
import { StoreError } from '../errors.ts'
import { upstashStoreError } from './upstash-store-error.ts'
import { toUpstashFilter } from './upstash-vector-filter.ts'
import { listUpstashVectors } from './upstash-vector-list.ts'
import type { VectorMatch, VectorMetadata, VectorRecord, VectorStore } from './vector-store.ts'
import { checkFilter, checkVector, dimensionMismatch } from './vector-store-errors.ts'

/** Options of `createUpstashVectorStore`. */
export interface UpstashVectorStoreOptions {
  /** A client for a dense COSINE index. */
  index: Index
  /** Namespace to keep these vectors in; the index's default namespace when absent. */
  namespace?: string
  /** The index's dimension; vectors of another length are refused before any request. */
  dimension: number
  /** Most records per upsert request. Default 500. */
  batchSize?: number
}

function isMetadata(value: unknown): value is VectorMetadata {
  const m = value as Partial<VectorMetadata> | undefined
  return (
    typeof m?.owner === 'string' && typeof m.text === 'string' && typeof m.createdAt === 'number'
  )
}

function deletedCount(answer: { deleted?: unknown }): number {
  if (typeof answer?.deleted !== 'number') {
    throw upstashStoreError('vector', 'delete', new Error('answer without a deleted count'))
  }
  return answer.deleted
}

// Upstash's 422 for a wrong-sized vector; the client gives us only the text.
const dimensionText = /dimension/i

/**
 * `VectorStore` on Upstash Vector through `@upstash/vector`. Filters become Upstash filter
 * text with quoted, escaped values; results are checked against the owner once more, so even
 * a misbehaving server cannot hand one user another's memories. Upstash filters in-index and
 * may return fewer than `topK` matches. Failures become `StoreError`s (see upstashStoreError).
 */
export function createUpstashVectorStore(options: UpstashVectorStoreOptions): VectorStore {
  const { index, namespace, dimension } = options
  const batchSize = options.batchSize ?? 500
  const target = namespace === undefined ? index : index.namespace(namespace)

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (error instanceof StoreError) throw error
      if (
        error instanceof Error &&
        error.name === 'UpstashError' &&
        dimensionText.test(error.message)
      ) {
        throw dimensionMismatch(dimension, undefined, error)
      }
      throw upstashStoreError('vector', operation, error)
    }
  }

  return {
    dimension,
    upsert: (records: readonly VectorRecord[]) =>
      call('upsert', async () => {
        for (const record of records) checkVector(record.vector, dimension)
        for (let start = 0; start < records.length; start += batchSize) {
          const batch = records.slice(start, start + batchSize).map((record) => ({
            id: record.id,
            vector: [...record.vector],
            metadata: { ...record.metadata } as Record<string, unknown>,
          }))
          await target.upsert(batch)
        }
      }),
    query: (vector, queryOptions) =>
      call('query', async () => {
        checkVector(vector, dimension)
        const filter = checkFilter(queryOptions?.filter)
        const results: unknown = await target.query({
          vector: [...vector],
          topK: queryOptions?.topK ?? 10,
          filter: toUpstashFilter(filter),
          includeMetadata: true,
        })
        if (!Array.isArray(results))
          throw upstashStoreError('vector', 'query', new Error('not a list'))
        const matches: VectorMatch[] = []
        for (const result of results as { id?: unknown; score?: unknown; metadata?: unknown }[]) {
          if (typeof result?.score !== 'number' || !isMetadata(result.metadata)) {
            throw upstashStoreError('vector', 'query', new Error('malformed match'))
          }
          if (result.metadata.owner !== filter.owner) continue
          matches.push({ id: String(result.id), score: result.score, metadata: result.metadata })
        }
        return matches
      }),
    list: (filter, listOptions) =>
      call('list', () => listUpstashVectors(target, checkFilter(filter), listOptions)),
    delete: (selector) =>
      call('delete', async () => {
        if ('ids' in selector) {
          if (selector.ids.length === 0) return 0
          return deletedCount(await target.delete([...selector.ids]))
        }
        const filter = toUpstashFilter(checkFilter(selector.filter))
        return deletedCount(await target.delete({ filter }))
      }),
  }
}
