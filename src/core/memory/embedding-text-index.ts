import type { Embedder } from './embedder.ts'
import type { TextIndex } from './text-index.ts'
import type { VectorStore } from './vector-store.ts'

/** A `TextIndex` that embeds with our embedder and keeps vectors in any `VectorStore`. */
export function createEmbeddingTextIndex(options: {
  embedder: Embedder
  vectors: VectorStore
}): TextIndex {
  const { embedder, vectors } = options
  return {
    embedding: 'client',
    async upsert(records, signal) {
      if (records.length === 0) return
      const embedded = await embedder.embed(
        records.map((r) => r.metadata.text),
        signal,
      )
      await vectors.upsert(
        records.map((record, i) => ({
          id: record.id,
          vector: embedded[i] ?? [],
          metadata: record.metadata,
        })),
      )
    },
    async query(text, queryOptions, signal) {
      const [vector] = await embedder.embed([text], signal)
      return vectors.query(vector ?? [], queryOptions)
    },
    list: (filter, listOptions) => vectors.list(filter, listOptions),
    delete: (selector) => vectors.delete(selector),
  }
}
