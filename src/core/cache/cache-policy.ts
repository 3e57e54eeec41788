/**
 * What a caller allows the response cache to do with its model calls, from its request's
 * `Cache-Control` (and an optional namespace header). Calls are cached only when they are
 * deterministic (temperature 0) or the caller opts in with a `max-age`:
 * - `no-cache`: never answer from the cache (an identical call in flight may still be joined:
 *   its answer is as fresh as a new one);
 * - `no-store`: never store this call's answer;
 * - `max-age=N`: opt in, and keep the answer N seconds (`max-age=0`: do not store, no opt-in).
 */
export interface CachePolicy {
  read: boolean
  write: boolean
  /** Opted in: cache even when the call is not deterministic. */
  optIn: boolean
  /** How long a stored answer lives; the cache's default when absent. */
  ttlMs?: number
  /** Separates entries of one tenant, e.g. per application or prompt version. */
  namespace?: string
}

/** The policy when the caller says nothing: deterministic calls are cached with the default TTL. */
export const defaultCachePolicy: CachePolicy = { read: true, write: true, optIn: false }

/** The longest TTL a caller may ask for: one day. */
const maxTtlSeconds = 86_400
const namespacePattern = /^[\w.:-]{1,64}$/

/**
 * Reads a `Cache-Control` request header (and an `X-Cache-Namespace` value) into a policy.
 * Looks at the first 256 characters only; unknown directives are ignored, as HTTP says.
 */
export function cachePolicyFrom(cacheControl: string | undefined, namespace?: string): CachePolicy {
  const policy: CachePolicy = { ...defaultCachePolicy }
  for (const part of (cacheControl ?? '').slice(0, 256).split(',')) {
    const [name = '', value] = part.trim().toLowerCase().split('=', 2)
    if (name === 'no-cache') policy.read = false
    else if (name === 'no-store') policy.write = false
    else if (name === 'max-age' && value !== undefined && /^\d{1,9}$/.test(value)) {
      const seconds = Math.min(Number(value), maxTtlSeconds)
      // Browsers send `max-age=0` on a reload: that asks to revalidate, not to opt in.
      if (seconds === 0) policy.write = false
      else {
        policy.optIn = true
        policy.ttlMs = seconds * 1000
      }
    }
  }
  const ns = namespace?.trim()
  if (ns && namespacePattern.test(ns)) policy.namespace = ns
  return policy
}

/** Whether a call with this temperature may be cached or coalesced under `policy`. */
export function cacheable(policy: CachePolicy, temperature: number | undefined): boolean {
  return policy.optIn || temperature === 0
}
