import type { KvStore } from '../memory/kv-store.ts'

/** closed: traffic flows; open: skip the model; half-open: one probe decides. */
export type BreakerState = 'closed' | 'open' | 'half-open'

/** Whether a call may go to a model now; `retryAt` (epoch ms) when it is open. */
export interface BreakerVerdict {
  allowed: boolean
  state: BreakerState
  retryAt?: number
  /** Recent failures counted when the verdict was given. */
  failures?: number
}

/**
 * A circuit breaker per model id, its state in a `KvStore` so every isolate and instance
 * shares it. Store failures never block traffic: a breaker that cannot read its state
 * lets calls through.
 */
export interface CircuitBreaker {
  allow(id: string): Promise<BreakerVerdict>
  /**
   * A call succeeded: closes the breaker if it was open or probing. Given the verdict that
   * let the call through, a clean success (closed, no recent failures) costs no store call.
   */
  success(id: string, verdict?: BreakerVerdict): Promise<void>
  /** A retryable call failed; `retryAfterMs` (a 429's Retry-After) opens it for that long. */
  failure(id: string, options?: { retryAfterMs?: number }): Promise<void>
}

/** Options of `createBreaker`. */
export interface BreakerOptions {
  kv: KvStore
  now?: () => number
  /** Failures within `windowMs` that open the breaker. Default 3. */
  failureThreshold?: number
  windowMs?: number
  /** How long it stays open before a probe. Default 30 s. */
  cooldownMs?: number
  /** How long one probe holds the half-open slot. Default 30 s. */
  probeTimeoutMs?: number
  prefix?: string
}

interface OpenRecord {
  until: number
}

/** Creates a KV-backed breaker; failures count atomically with `increment`. */
export function createBreaker(options: BreakerOptions): CircuitBreaker {
  const { kv } = options
  const now = options.now ?? Date.now
  const threshold = options.failureThreshold ?? 3
  const windowMs = options.windowMs ?? 60_000
  const cooldownMs = options.cooldownMs ?? 30_000
  const probeTimeoutMs = options.probeTimeoutMs ?? 30_000
  const prefix = options.prefix ?? 'breaker:'
  const keys = (id: string) => ({
    failures: `${prefix}${id}:failures`,
    open: `${prefix}${id}:open`,
    probe: `${prefix}${id}:probe`,
  })
  const open = async (id: string, forMs: number) => {
    const until = now() + forMs
    // Kept past `until` so the half-open state is visible; it expires on its own later.
    await kv.set(keys(id).open, { until } satisfies OpenRecord, { ttlMs: forMs + windowMs })
  }
  const safely = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work()
    } catch {
      return fallback
    }
  }

  return {
    allow: (id) =>
      safely<BreakerVerdict>(
        async () => {
          const [record, failures] = await Promise.all([
            kv.get<OpenRecord>(keys(id).open),
            kv.get<number>(keys(id).failures),
          ])
          if (!record) return { allowed: true, state: 'closed' as const, failures: failures ?? 0 }
          if (now() < record.until)
            return { allowed: false, state: 'open' as const, retryAt: record.until }
          const probing = await kv.set(keys(id).probe, now(), {
            ifAbsent: true,
            ttlMs: probeTimeoutMs,
          })
          return probing
            ? { allowed: true, state: 'half-open' as const }
            : { allowed: false, state: 'half-open' as const, retryAt: now() + probeTimeoutMs }
        },
        { allowed: true, state: 'closed' as const },
      ),

    success: (id, verdict) =>
      safely(async () => {
        if (verdict?.state === 'closed' && verdict.failures === 0) return
        const k = keys(id)
        if (await kv.get(k.open)) await Promise.all([kv.delete(k.open), kv.delete(k.probe)])
        await kv.delete(k.failures)
      }, undefined),

    failure: (id, failure = {}) =>
      safely(async () => {
        const k = keys(id)
        const record = await kv.get<OpenRecord>(k.open)
        if (record && now() >= record.until) {
          // The half-open probe failed: open again, and let the next probe through later.
          await open(id, Math.max(failure.retryAfterMs ?? 0, cooldownMs))
          await kv.delete(k.probe)
          return
        }
        const count = await kv.increment(k.failures, 1, { ttlMs: windowMs })
        if (failure.retryAfterMs !== undefined && failure.retryAfterMs > 0) {
          await open(id, Math.max(failure.retryAfterMs, record ? record.until - now() : 0))
        } else if (count >= threshold && !record) {
          await open(id, cooldownMs)
        }
      }, undefined),
  }
}
