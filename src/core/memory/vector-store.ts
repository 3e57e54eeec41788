/**
 * Semantic memory: vectors with metadata, searched by similarity. Implementations: in-memory,
 * Upstash Vector, pgvector (PGlite by default, Neon when it has the extension). All of them
 * use cosine similarity and report `score` normalised to 0..1 as Upstash does:
 * `(1 + cosine) / 2`, so 1 is identical and 0.5 orthogonal.
 *
 * Every method rejects only with `StoreError`.
 */
export interface VectorStore {
  /** Inserts or replaces records by id. Every vector must have the store's dimension. */
  upsert(records: readonly VectorRecord[]): Promise<void>
  /**
   * The `topK` most similar records (default 10) that match `filter`, best first. The filter
   * fields are ANDed; an absent field does not constrain.
   */
  query(vector: readonly number[], options?: VectorQueryOptions): Promise<VectorMatch[]>
  /**
   * The records matching `filter`, newest first, at most `limit` (default 500): what a memory
   * page lists. Not a search: no vector is involved.
   */
  list(filter: VectorFilter, options?: { limit?: number }): Promise<VectorMatch[]>
  /** Deletes by ids, or every record matching a filter. Returns how many were deleted. */
  delete(selector: { ids: readonly string[] } | { filter: VectorFilter }): Promise<number>
  /** The vector dimension this store holds. */
  readonly dimension: number
}

/** What a memory is about; stored alongside the vector and used by filters. */
export interface VectorMetadata {
  owner: string
  conversationId?: string
  /** The message the memory was taken from (provenance). */
  messageId?: string
  /** The normalised text's hash (facts): the same fact is stored once per owner. */
  hash?: string
  /** The text the vector was computed from, so recall can show it. */
  text: string
  /** Milliseconds since epoch. */
  createdAt: number
  kind?: string
}

/** One stored vector. */
export interface VectorRecord {
  id: string
  vector: readonly number[]
  metadata: VectorMetadata
}

/** Exact-match constraints, ANDed together. `owner` is required so no query crosses users. */
export interface VectorFilter {
  owner: string
  conversationId?: string
  kind?: string
}

/** Options of `VectorStore.query`. */
export interface VectorQueryOptions {
  topK?: number
  filter: VectorFilter
}

/** One query result. */
export interface VectorMatch {
  id: string
  score: number
  metadata: VectorMetadata
}
