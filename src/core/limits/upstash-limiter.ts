import { Ratelimit } from '@upstash/ratelimit'
import type { Redis } from '@upstash/redis'
import { StoreError } from '../errors.ts'
import type { KvStore } from '../memory/kv-store.ts'
import { upstashStoreError } from '../memory/upstash-store-error.ts'
import { createKvLimiter } from './kv-limiter.ts'
import type { Limiter, LimitVerdict, SlidingWindow } from './limiter.ts'

/** Options of `createUpstashLimiter`. */
export interface UpstashLimiterOptions {
  /** The Upstash Redis client (the one behind `kv`). */
  redis: Redis
  /** The `KvStore` on the same Redis, for budgets and slots. */
  kv: KvStore
  /** Prepended to every key. Default `limits:`. */
  prefix?: string
  /** The prefix `kv` itself puts before keys, so the library's keys sit beside them. */
  kvPrefix: string
}

/**
 * The `Limiter` on Upstash Redis. The request window is `@upstash/ratelimit`'s sliding window,
 * used as its authors intend: one instance per rule, kept for the isolate's life with an
 * ephemeral cache (an identifier refused once is refused locally until its reset, without a
 * round trip), no timeout that would let requests through unchecked (a store that does not
 * answer is the caller's decision, see `LIMITS_STORE_DOWN`), and `pending` handed back for
 * `waitUntil`. Budgets and concurrent slots are the `KvStore` limiter over the same Redis.
 */
export function createUpstashLimiter(options: UpstashLimiterOptions): Limiter {
  const prefix = options.prefix ?? 'limits:'
  const budgets = createKvLimiter({ kv: options.kv, prefix, backend: 'upstash-redis' })
  const windows = new Map<string, Ratelimit>()

  const ratelimit = (limit: number, window: SlidingWindow) => {
    const name = `${limit}/${window.ms}`
    let instance = windows.get(name)
    if (!instance) {
      instance = new Ratelimit({
        redis: options.redis,
        limiter: Ratelimit.slidingWindow(limit, `${window.ms} ms`),
        prefix: `${options.kvPrefix}${prefix}req`,
        ephemeralCache: new Map(),
        timeout: 0,
        analytics: false,
      })
      windows.set(name, instance)
    }
    return instance
  }

  async function guarded<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (error instanceof StoreError) throw error
      throw upstashStoreError('limits', operation, error)
    }
  }

  return {
    ...budgets,
    backend: 'upstash-redis',
    hit: (identifier, limit, window) =>
      guarded('hit', async (): Promise<LimitVerdict> => {
        // A limit of 0 blocks outright; the library's window needs at least one token.
        if (limit <= 0) {
          return {
            ok: false,
            reason: 'exhausted',
            limit,
            remaining: 0,
            reset: Date.now() + window.ms,
            retryAfterMs: window.ms,
          }
        }
        const answer = await ratelimit(limit, window).limit(identifier)
        const pending = answer.pending.catch(() => undefined)
        const state = {
          limit: answer.limit,
          remaining: Math.max(answer.remaining, 0),
          reset: answer.reset,
        }
        if (answer.success) return { ok: true, ...state, pending }
        const retryAfterMs = Math.max(answer.reset - Date.now(), 1)
        return { ok: false, reason: 'exhausted', ...state, remaining: 0, retryAfterMs, pending }
      }),
    peekHits: (identifier, window) =>
      guarded('peekHits', async () => {
        // Any limit reads the same counters; the used count is the limit minus what remains.
        const probe = 1_000_000
        const { remaining } = await ratelimit(probe, window).getRemaining(identifier)
        return Math.max(probe - remaining, 0)
      }),
  }
}
