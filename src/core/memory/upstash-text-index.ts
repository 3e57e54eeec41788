import type { Index } from '@upstash/vector'
import { StoreError } from '../errors.ts'
import type { Embedder } from './embedder.ts'
import { createEmbeddingTextIndex } from './embedding-text-index.ts'
import type { TextIndex } from './text-index.ts'
import { upstashStoreError } from './upstash-store-error.ts'
import { toUpstashFilter } from './upstash-vector-filter.ts'
import { listUpstashVectors } from './upstash-vector-list.ts'
import { createUpstashVectorStore } from './upstash-vector-store.ts'
import type { VectorMatch, VectorMetadata } from './vector-store.ts'
import { checkFilter } from './vector-store-errors.ts'

/**
 * Semantic memory on Upstash Vector. The index is asked once (`info`) whether it was created
 * with an embedding model: if so, text goes to the server, which embeds it (`upsert-data`,
 * `query-data`); if not, our embedder makes the vectors, and the index's dimension must
 * match it. Until the first call succeeds, `embedding` reports `client`.
 */
export function createUpstashTextIndex(options: {
  index: Index
  embedder: Embedder
  namespace?: string
}): TextIndex & { ready(): Promise<TextIndex> } {
  const { index, embedder, namespace } = options
  const target = namespace === undefined ? index : index.namespace(namespace)
  let chosen: Promise<TextIndex> | undefined

  const choose = async (): Promise<TextIndex> => {
    let info: { dimension?: number; denseIndex?: { embeddingModel?: string } }
    try {
      info = await index.info()
    } catch (error) {
      throw upstashStoreError('vector', 'info', error)
    }
    if (info.denseIndex?.embeddingModel) return serverEmbedding()
    if (info.dimension !== undefined && info.dimension !== embedder.dimension) {
      throw new StoreError(
        'vector',
        `The Upstash Vector index has dimension ${info.dimension} and no embedding model; ` +
          `Outpost's embedder makes ${embedder.dimension}. Create the index with ${embedder.dimension} dimensions or with an embedding model.`,
        { retryable: false, code: 'store_misconfigured' },
      )
    }
    return createEmbeddingTextIndex({
      embedder,
      vectors: createUpstashVectorStore({ index, namespace, dimension: embedder.dimension }),
    })
  }

  const serverEmbedding = (): TextIndex => ({
    embedding: 'server',
    async upsert(records) {
      if (records.length === 0) return
      try {
        await target.upsert(
          records.map((r) => ({
            id: r.id,
            data: r.metadata.text,
            metadata: { ...r.metadata } as Record<string, unknown>,
          })),
        )
      } catch (error) {
        throw upstashStoreError('vector', 'upsert', error)
      }
    },
    async query(text, queryOptions) {
      const filter = checkFilter(queryOptions.filter)
      let results: Array<{ id: string | number; score: number; metadata?: unknown }>
      try {
        results = await target.query({
          data: text,
          topK: queryOptions.topK ?? 10,
          filter: toUpstashFilter(filter),
          includeMetadata: true,
        })
      } catch (error) {
        throw upstashStoreError('vector', 'query', error)
      }
      // As in the vector store: even a misbehaving server never hands over another owner's memories.
      return results
        .filter((r) => (r.metadata as Partial<VectorMetadata> | undefined)?.owner === filter.owner)
        .map(
          (r): VectorMatch => ({
            id: String(r.id),
            score: r.score,
            metadata: r.metadata as VectorMetadata,
          }),
        )
    },
    async list(filter, listOptions) {
      try {
        return await listUpstashVectors(target, checkFilter(filter), listOptions)
      } catch (error) {
        throw upstashStoreError('vector', 'list', error)
      }
    },
    async delete(selector) {
      try {
        if ('ids' in selector) {
          if (selector.ids.length === 0) return 0
          return (await target.delete([...selector.ids])).deleted
        }
        return (await target.delete({ filter: toUpstashFilter(checkFilter(selector.filter)) }))
          .deleted
      } catch (error) {
        throw upstashStoreError('vector', 'delete', error)
      }
    },
  })

  const ready = () => {
    if (!chosen) {
      chosen = choose()
      // A failed probe (network) is retried by the next call; a mismatch repeats anyway.
      chosen.catch(() => {
        chosen = undefined
      })
    }
    return chosen
  }
  let current: TextIndex | undefined
  return {
    get embedding() {
      return current?.embedding ?? 'client'
    },
    ready,
    async upsert(records, signal) {
      current = await ready()
      return current.upsert(records, signal)
    },
    async query(text, queryOptions, signal) {
      current = await ready()
      return current.query(text, queryOptions, signal)
    },
    async list(filter, listOptions) {
      current = await ready()
      return current.list(filter, listOptions)
    },
    async delete(selector) {
      current = await ready()
      return current.delete(selector)
    },
  }
}
