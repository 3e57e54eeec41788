import type { KvSetOptions, KvStore } from '../../src/core/memory/kv-store.ts'

interface Entry {
  value: unknown
  expiresAt: number | undefined
}

/**
 * A small `KvStore` test double over a Map, with TTLs read from an injectable clock so tests
 * can move time. Values are copied through JSON, as a real store would. To be replaced by the
 * in-memory store from the storage work once it lands.
 */
export function createFakeKvStore(options: { now?: () => number } = {}): KvStore {
  const now = options.now ?? Date.now
  const entries = new Map<string, Entry>()
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key)
      return undefined
    }
    return entry
  }
  const expiry = (ttlMs: number | undefined) => (ttlMs === undefined ? undefined : now() + ttlMs)
  const list = (key: string): unknown[] => {
    const value = live(key)?.value
    return Array.isArray(value) ? value : []
  }
  const slice = (items: unknown[], start: number, stop: number) => {
    const from = start < 0 ? Math.max(items.length + start, 0) : start
    const to = stop < 0 ? items.length + stop : Math.min(stop, items.length - 1)
    return from > to ? [] : items.slice(from, to + 1)
  }

  return {
    async get<T>(key: string) {
      const entry = live(key)
      return entry === undefined ? undefined : copy(entry.value as T)
    },
    async set(key: string, value: unknown, setOptions: KvSetOptions = {}) {
      if (setOptions.ifAbsent && live(key)) return false
      entries.set(key, { value: copy(value), expiresAt: expiry(setOptions.ttlMs) })
      return true
    },
    async delete(key: string) {
      const existed = live(key) !== undefined
      entries.delete(key)
      return existed
    },
    async increment(key: string, by = 1, incOptions: { ttlMs?: number } = {}) {
      const entry = live(key)
      const next = (typeof entry?.value === 'number' ? entry.value : 0) + by
      entries.set(key, {
        value: next,
        expiresAt: entry ? entry.expiresAt : expiry(incOptions.ttlMs),
      })
      return next
    },
    async append(key: string, values: readonly unknown[], appendOptions: { ttlMs?: number } = {}) {
      const entry = live(key)
      const items = [...list(key), ...values.map(copy)]
      const expiresAt =
        appendOptions.ttlMs === undefined ? entry?.expiresAt : expiry(appendOptions.ttlMs)
      entries.set(key, { value: items, expiresAt })
      return items.length
    },
    async range<T>(key: string, start: number, stop: number) {
      return copy(slice(list(key), start, stop)) as T[]
    },
    async trim(key: string, start: number, stop: number) {
      const entry = live(key)
      if (!entry) return
      entries.set(key, { value: slice(list(key), start, stop), expiresAt: entry.expiresAt })
    },
    async length(key: string) {
      return list(key).length
    },
    async expire(key: string, ttlMs: number) {
      const entry = live(key)
      if (!entry) return false
      entry.expiresAt = now() + ttlMs
      return true
    },
  }
}
