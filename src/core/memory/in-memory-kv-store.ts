import type { KvSetOptions, KvStore } from './kv-store.ts'
import {
  checkIncrementBy,
  checkListIndices,
  checkTtlMs,
  invalidKvArgument,
  wrongKvType,
} from './kv-store-errors.ts'
import { kvValueText } from './kv-value-text.ts'

/** Options of `createInMemoryKvStore`. */
export interface InMemoryKvStoreOptions {
  /** Most keys kept; the least recently used one is evicted beyond it. Default 10 000. */
  maxEntries?: number
  /**
   * Most bytes kept: the characters of the values' JSON text, plus a fixed cost per key and
   * per list item; least recently used keys are evicted beyond it. Default: no bound but the
   * count.
   */
  maxBytes?: number
  /** Clock in milliseconds, injectable so tests can move time. Default `Date.now`. */
  now?: () => number
}

// Values and list items are held as their JSON text (see `createInMemoryKvStore`).
type Entry =
  | { kind: 'value'; text: string; expiresAt: number | undefined; bytes: number }
  | { kind: 'list'; items: string[]; expiresAt: number | undefined; bytes: number }

// What a key costs besides its value: the key itself and the entry holding it.
const entryBytes = (key: string) => key.length + 64
// What one stored text costs: its characters and the string's header.
const textBytes = (text: string) => text.length + 16

const parse = (text: string): unknown => JSON.parse(text)

/** Redis LRANGE/LTRIM index normalisation: the inclusive [from, to] slice, possibly empty. */
function bounds(length: number, start: number, stop: number): [number, number] {
  const from = Math.max(start < 0 ? length + start : start, 0)
  const to = Math.min(stop < 0 ? length + stop : stop, length - 1)
  return [from, to]
}

/**
 * The embedded `KvStore`: a `Map` in insertion order doubling as the LRU list (a touched key
 * is moved to the end, the first key is the eviction victim). Expired keys are dropped when
 * they are next looked at. Values are kept as their JSON text, written once by
 * `JSON.stringify` and read by `JSON.parse`, as the remote store keeps them: a caller mutating
 * what it stored or read never changes the stored state, a value comes back exactly as it
 * would from Redis, and a stored run log is a few strings for the collector to step over
 * rather than a graph of small objects to mark (half the heap's cells after a load). With
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

  /**
   * Stores a new entry under `key`, replacing any, as the most recently used key. One lookup
   * and one insertion: in a store of thousands of keys each Map operation is a hash lookup that
   * misses the cache, and a run's three writes took 2.5 times as long inside a busy gateway as
   * in a loop of their own.
   */
  function put(key: string, entry: Entry): void {
    const old = entries.get(key)
    if (old !== undefined) {
      bytes -= old.bytes
      entries.delete(key)
    }
    entries.set(key, entry)
    bytes += entry.bytes
    evictBeyondBounds()
  }

  function evictBeyondBounds(): void {
    while (entries.size > maxEntries || (bytes > maxBytes && entries.size > 1)) {
      const oldest = leastRecentlyUsed()
      if (oldest === undefined) break
      remove(oldest)
    }
  }

  // One live iterator over the keys, kept between evictions: it yields keys in insertion
  // order and skips deleted ones, so it always stands at the least recently used key, and
  // each deleted slot is stepped over once. A fresh `entries.keys()` per eviction would walk
  // every slot touched keys left behind at the front: 5% of a request's CPU in one runtime.
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
      return parse(entry.text) as T
    },
    async set(key: string, value: unknown, setOptions: KvSetOptions = {}) {
      const ttlMs = checkTtlMs(setOptions.ttlMs)
      const text = kvValueText(value)
      if (setOptions.ifAbsent && live(key) !== undefined) return false
      put(key, {
        kind: 'value',
        text,
        expiresAt: expiry(ttlMs),
        bytes: entryBytes(key) + textBytes(text),
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
        const text = String(by)
        put(key, {
          kind: 'value',
          text,
          expiresAt: expiry(ttlMs),
          bytes: entryBytes(key) + textBytes(text),
        })
        return by
      }
      const count = entry.kind === 'value' ? parse(entry.text) : undefined
      if (entry.kind !== 'value' || !Number.isSafeInteger(count)) throw wrongKvType(key)
      const next = (count as number) + by
      if (!Number.isSafeInteger(next)) throw invalidKvArgument('increment would overflow')
      const text = String(next)
      resize(entry, text.length - entry.text.length)
      entry.text = text
      return next
    },
    async append(key, values, appendOptions = {}) {
      const ttlMs = checkTtlMs(appendOptions.ttlMs)
      let added = 0
      const texts = values.map((value) => {
        const text = kvValueText(value)
        added += textBytes(text)
        return text
      })
      // Touched once: a list that exists is now the most recently used key.
      const entry = live(key)
      if (entry === undefined) {
        if (texts.length === 0) return 0
        put(key, {
          kind: 'list',
          items: texts,
          expiresAt: expiry(ttlMs),
          bytes: entryBytes(key) + added,
        })
        return texts.length
      }
      if (entry.kind !== 'list') throw wrongKvType(key)
      for (const text of texts) entry.items.push(text)
      if (ttlMs !== undefined) entry.expiresAt = expiry(ttlMs)
      resize(entry, added)
      evictBeyondBounds()
      return entry.items.length
    },
    async range<T>(key: string, start: number, stop: number) {
      checkListIndices(start, stop)
      const { items } = list(key)
      const [from, to] = bounds(items.length, start, stop)
      const found: T[] = []
      for (let i = from; i <= to; i++) found.push(parse(items[i] as string) as T)
      return found
    },
    async trim(key, start, stop) {
      checkListIndices(start, stop)
      const entry = list(key)
      const [from, to] = bounds(entry.items.length, start, stop)
      const kept = entry.items.slice(from, to + 1)
      if (kept.length === entry.items.length) return
      entry.items = kept
      if (kept.length === 0) {
        remove(key)
        return
      }
      let size = entryBytes(key)
      for (const text of kept) size += textBytes(text)
      resize(entry, size - entry.bytes)
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
