import type { KvSetOptions, KvStore } from './kv-store.ts'
import {
  checkIncrementBy,
  checkListIndices,
  checkTtlMs,
  invalidKvArgument,
  wrongKvType,
} from './kv-store-errors.ts'
import { plainCopy, plainCopyMeasured } from './plain-copy.ts'

/** Options of `createInMemoryKvStore`. */
export interface InMemoryKvStoreOptions {
  /** Most keys kept; the least recently used one is evicted beyond it. Default 10 000. */
  maxEntries?: number
  /**
   * Most bytes of values kept, as `plainCopyMeasured` estimates them (about their JSON
   * size); least recently used keys are evicted beyond it. Default: no bound but the count.
   */
  maxBytes?: number
  /** Clock in milliseconds, injectable so tests can move time. Default `Date.now`. */
  now?: () => number
}

type Entry =
  | { kind: 'value'; value: unknown; expiresAt: number | undefined; bytes: number }
  | { kind: 'list'; items: unknown[]; expiresAt: number | undefined; bytes: number }

// What a key costs besides its value: the key itself and the entry holding it.
const entryBytes = (key: string) => key.length + 64

function copy<T>(value: T): T {
  if (value === undefined) throw invalidKvArgument('undefined cannot be stored')
  return plainCopy(value)
}

function copyIn<T>(value: T): { copy: T; bytes: number } {
  if (value === undefined) throw invalidKvArgument('undefined cannot be stored')
  try {
    return plainCopyMeasured(value)
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
 * stored or read never changes the stored state — as with a real remote store. With
 * `maxBytes` the store is bounded by size as well as by count: a run log's events, kept for
 * their TTL, would otherwise hold memory in proportion to the traffic of the last hour.
 */
export function createInMemoryKvStore(options: InMemoryKvStoreOptions = {}): KvStore {
  const maxEntries = options.maxEntries ?? 10_000
  const now = options.now ?? Date.now
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY
  const entries = new Map<string, Entry>()
  let bytes = 0

  function remove(key: string): boolean {
    const entry = entries.get(key)
    if (!entry) return false
    bytes -= entry.bytes
    entries.delete(key)
    return true
  }

  function live(key: string): Entry | undefined {
    const entry = entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      remove(key)
      return undefined
    }
    entries.delete(key)
    entries.set(key, entry)
    return entry
  }

  function put(key: string, entry: Entry): void {
    if (entries.get(key) !== entry) {
      remove(key)
      bytes += entry.bytes
    }
    entries.delete(key)
    entries.set(key, entry)
    while (entries.size > maxEntries || (bytes > maxBytes && entries.size > 1)) {
      const oldest = leastRecentlyUsed()
      if (oldest === undefined) break
      remove(oldest)
    }
  }

  // One live iterator over the keys, kept between evictions: it yields keys in insertion
  // order and skips deleted ones, so it always stands at the least recently used key, and
  // each deleted slot is stepped over once. A fresh `entries.keys()` per eviction would walk
  // every slot touched keys left behind at the front, which was 5% of a request's CPU on Bun.
  // Every key it yields is removed at once, so no live key is ever behind it.
  let order = entries.keys()
  function leastRecentlyUsed(): string | undefined {
    let next = order.next()
    // Never done while a key is left (none is behind it); but a finished iterator stays
    // finished even after keys are added, so should it ever finish, start a new one.
    if (next.done) {
      order = entries.keys()
      next = order.next()
    }
    return next.value
  }

  /** Changes the size of an entry that stays where it is (a list grown or trimmed). */
  function resize(entry: Entry, by: number): void {
    entry.bytes += by
    bytes += by
  }

  const expiry = (ttlMs: number | undefined) => (ttlMs === undefined ? undefined : now() + ttlMs)

  function list(key: string): Entry & { kind: 'list' } {
    const entry = live(key)
    if (entry === undefined) {
      return { kind: 'list', items: [], expiresAt: undefined, bytes: entryBytes(key) }
    }
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
      const stored = copyIn(value)
      if (setOptions.ifAbsent && live(key) !== undefined) return false
      put(key, {
        kind: 'value',
        value: stored.copy,
        expiresAt: expiry(ttlMs),
        bytes: entryBytes(key) + stored.bytes,
      })
      return true
    },
    async delete(key) {
      const existed = live(key) !== undefined
      remove(key)
      return existed
    },
    async increment(key, by = 1, incrementOptions = {}) {
      checkIncrementBy(by)
      const ttlMs = checkTtlMs(incrementOptions.ttlMs)
      const entry = live(key)
      if (entry === undefined) {
        put(key, { kind: 'value', value: by, expiresAt: expiry(ttlMs), bytes: entryBytes(key) + 8 })
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
      let added = 0
      const copies = values.map((value) => {
        const stored = copyIn(value)
        added += stored.bytes
        return stored.copy
      })
      const entry = list(key)
      entry.items.push(...copies)
      if (ttlMs !== undefined) entry.expiresAt = expiry(ttlMs)
      if (entries.get(key) === entry) resize(entry, added)
      else entry.bytes += added
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
      const kept = entry.items.slice(from, to + 1)
      if (kept.length === entry.items.length) return
      entry.items = kept
      if (kept.length === 0) remove(key)
      else resize(entry, entryBytes(key) + plainCopyMeasured(kept).bytes - entry.bytes)
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
