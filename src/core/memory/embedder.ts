/**
 * Turns text into vectors for semantic memory. The built-in hashing embedder is the default
 * (deterministic, offline, no dependencies); an OpenAI-compatible one uses a real model.
 */
export interface Embedder {
  /** A stable name, stored with vectors so a change of embedder can be detected. */
  readonly id: string
  /** Length of every vector this embedder returns. */
  readonly dimension: number
  /** One unit-length vector per input text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>
}
