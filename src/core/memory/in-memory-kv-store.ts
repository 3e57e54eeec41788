import type { KvSetOptions, KvStore } from './kv-store.ts'
import {
  checkIncrementBy,
  checkListIndices,
  checkTtlMs,
  invalidKvArgument,
  wrongKvType,
} from './kv-store-errors.ts'
import { plainCopy } from './plain-copy.ts'

/** Options of `createInMemoryKvStore`. */
export interface InMemoryKvStoreOptions {
  /** Most keys kept; the least recently used one is evicted beyond it. Default 10 000. */
  maxEntries?: number
  /** Clock in milliseconds, injectable so tests can move time. Default `Date.now`. */
  now?: () => number
}

type Entry =
  | { kind: 'value'; value: unknown; expiresAt: number | undefined }
  | { kind: 'list'; items: unknown[]; expiresAt: number | undefined }

function copy<T>(value: T): T {
  if (value === undefined) throw invalidKvArgument('undefined cannot be stored')
  try {
    return plainCopy(value)
  } catch (error) {
    throw invalidKvArgument('The value cannot be stored: it is not plain data', error)
  }
}

/** Redis LRANGE/LTRIM index normalisation: the inclusive [from, to] slice, possibly empty. */
function bounds(length: number, start: number, stop: number): [number, number] {
  const from = Math.max(start < 0 ? length + start : start, 0)
  const to = Math.min(stop < 0 ? length + stop : stop, length - 1)
  return [from, to]
}

/**
 * The embedded `KvStore`: a `Map` in insertion order doubling as the LRU list (a touched key
 * is moved to the end, the first key is the eviction victim). Expired keys are dropped when
 * they are next looked at. Values are deep-copied in and out, so a caller mutating what it
 * stored or read never changes the stored state — as with a real remote store.
 */
export function createInMemoryKvStore(options: InMemoryKvStoreOptions = {}): KvStore {
  const maxEntries = options.maxEntries ?? 10_000
  const now = options.now ?? Date.now
  const entries = new Map<string, Entry>()

  function live(key: string): Entry | undefined {
    const entry = entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key)
      return undefined
    }
    entries.delete(key)
    entries.set(key, entry)
    return entry
  }

  function put(key: string, entry: Entry): void {
    entries.delete(key)
    entries.set(key, entry)
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value
      if (oldest === undefined) break
      entries.delete(oldest)
    }
  }

  const expiry = (ttlMs: number | undefined) => (ttlMs === undefined ? undefined : now() + ttlMs)

  function list(key: string): Entry & { kind: 'list' } {
    const entry = live(key)
    if (entry === undefined) return { kind: 'list', items: [], expiresAt: undefined }
    if (entry.kind !== 'list') throw wrongKvType(key)
    return entry
  }

  return {
    async get<T>(key: string) {
      const entry = live(key)
      if (entry === undefined) return undefined
      if (entry.kind !== 'value') throw wrongKvType(key)
      return copy(entry.value) as T
    },
    async set(key: string, value: unknown, setOptions: KvSetOptions = {}) {
      const ttlMs = checkTtlMs(setOptions.ttlMs)
      const stored = copy(value)
      if (setOptions.ifAbsent && live(key) !== undefined) return false
      put(key, { kind: 'value', value: stored, expiresAt: expiry(ttlMs) })
      return true
    },
    async delete(key) {
      const existed = live(key) !== undefined
      entries.delete(key)
      return existed
    },
    async increment(key, by = 1, incrementOptions = {}) {
      checkIncrementBy(by)
      const ttlMs = checkTtlMs(incrementOptions.ttlMs)
      const entry = live(key)
      if (entry === undefined) {
        put(key, { kind: 'value', value: by, expiresAt: expiry(ttlMs) })
        return by
      }
      if (entry.kind !== 'value' || !Number.isSafeInteger(entry.value)) throw wrongKvType(key)
      const next = (entry.value as number) + by
      if (!Number.isSafeInteger(next)) throw invalidKvArgument('increment would overflow')
      entry.value = next
      return next
    },
    async append(key, values, appendOptions = {}) {
      const ttlMs = checkTtlMs(appendOptions.ttlMs)
      const copies = values.map(copy)
      const entry = list(key)
      entry.items.push(...copies)
      if (ttlMs !== undefined) entry.expiresAt = expiry(ttlMs)
      if (entry.items.length > 0 || entries.has(key)) put(key, entry)
      return entry.items.length
    },
    async range<T>(key: string, start: number, stop: number) {
      checkListIndices(start, stop)
      const { items } = list(key)
      const [from, to] = bounds(items.length, start, stop)
      return items.slice(from, to + 1).map(copy) as T[]
    },
    async trim(key, start, stop) {
      checkListIndices(start, stop)
      const entry = list(key)
      const [from, to] = bounds(entry.items.length, start, stop)
      entry.items = entry.items.slice(from, to + 1)
      if (entry.items.length === 0) entries.delete(key)
    },
    async length(key) {
      return list(key).items.length
    },
    async expire(key, ttlMs) {
      const ms = checkTtlMs(ttlMs)
      const entry = live(key)
      if (entry === undefined) return false
      entry.expiresAt = expiry(ms)
      return true
    },
  }
}
