import type { VectorFilter, VectorMatch, VectorMetadata, VectorStore } from './vector-store.ts'

/** One memory to store: its text is what gets embedded (by us or by the index's server). */
export interface TextRecord {
  id: string
  metadata: VectorMetadata
}

/**
 * Semantic memory by text: store memories and find the ones most similar to a question.
 * Implementations embed with our `Embedder` and keep vectors in a `VectorStore`, or hand the
 * text to an Upstash Vector index that embeds it on its own servers. Scores follow
 * `VectorStore` (0..1, where 0.5 is unrelated).
 *
 * Every method rejects only with `StoreError`.
 */
export interface TextIndex {
  /** Who embeds: `client` (our embedder) or `server` (the index's own model). */
  readonly embedding: 'client' | 'server'
  /** Inserts or replaces memories; `metadata.text` is embedded. */
  upsert(records: readonly TextRecord[], signal?: AbortSignal): Promise<void>
  /** The `topK` memories most similar to `text` that match `filter`, best first. */
  query(
    text: string,
    options: { topK?: number; filter: VectorFilter },
    signal?: AbortSignal,
  ): Promise<VectorMatch[]>
  /** An owner's memories matching `filter`, newest first (see `VectorStore.list`). */
  list: VectorStore['list']
  /** Deletes by ids or by filter (the owner is required); returns how many went. */
  delete: VectorStore['delete']
}
