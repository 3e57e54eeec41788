/** A keyed cache of values built on first use. */
export interface LazyCache<V> {
  /** The value for `key`, building it once; concurrent callers share one build. */
  get(key: string): Promise<V>
  readonly size: number
}

/**
 * Builds each value at most once per key, even when many callers ask at the same moment:
 * the in-flight promise is cached, not the result. A failed build is forgotten so the next
 * caller tries again instead of inheriting a stale error.
 */
export function createLazyCache<V>(build: (key: string) => V | Promise<V>): LazyCache<V> {
  const values = new Map<string, Promise<V>>()
  return {
    get(key) {
      const cached = values.get(key)
      if (cached) return cached
      const pending = Promise.resolve().then(() => build(key))
      values.set(key, pending)
      pending.catch(() => {
        if (values.get(key) === pending) values.delete(key)
      })
      return pending
    },
    get size() {
      return values.size
    },
  }
}
