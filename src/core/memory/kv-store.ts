/**
 * A small key-value store with TTLs and lists: what working memory, the run log, rate-limit
 * counters, circuit breakers and the response cache need. Values are JSON-serialisable and
 * come back structurally equal (strings stay strings, even "2"). Implementations: in-memory
 * (bounded, LRU) and Upstash Redis. Keys are namespaced by the implementation's `prefix`.
 *
 * Every method rejects only with `StoreError`.
 */
export interface KvStore {
  /** The value, or `undefined` when the key is absent or expired. */
  get<T = unknown>(key: string): Promise<T | undefined>
  /**
   * Stores a value. With `ifAbsent`, only when the key does not exist (returns false then).
   * `ttlMs` sets an expiry; without it the key lives until deleted or evicted.
   */
  set(key: string, value: unknown, options?: KvSetOptions): Promise<boolean>
  /** Removes the key (of any kind). Returns whether it existed. */
  delete(key: string): Promise<boolean>
  /**
   * Atomically adds `by` (default 1) to an integer counter, creating it at 0. `ttlMs` is set
   * only when this call created the key, so a window's expiry does not slide.
   */
  increment(key: string, by?: number, options?: { ttlMs?: number }): Promise<number>
  /** Appends to a list, creating it; `ttlMs` (re)sets the list's expiry. Returns the new length. */
  append(key: string, values: readonly unknown[], options?: { ttlMs?: number }): Promise<number>
  /**
   * Items `start`..`stop` inclusive; negative indices count from the end (-1 is the last), as
   * in Redis LRANGE. An absent list is empty.
   */
  range<T = unknown>(key: string, start: number, stop: number): Promise<T[]>
  /** Keeps only items `start`..`stop` inclusive (Redis LTRIM semantics). */
  trim(key: string, start: number, stop: number): Promise<void>
  /** Length of a list; 0 when absent. */
  length(key: string): Promise<number>
  /** Sets a new expiry on an existing key. Returns whether the key existed. */
  expire(key: string, ttlMs: number): Promise<boolean>
}

/** Options of `KvStore.set`. */
export interface KvSetOptions {
  ttlMs?: number
  ifAbsent?: boolean
}
