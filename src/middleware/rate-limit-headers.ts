import type { LimitSnapshot } from '../core/limits/limit-snapshot.ts'

/**
 * The headers that tell a client where its limits stand:
 * - IETF `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers-10: Lists of
 *   Structured Field Items named by a String, `q` quota, `qu` unit, `w` window seconds; `r`
 *   remaining, `t` seconds until reset), on every surface;
 * - with `openai`, OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, which its
 *   SDKs and dashboards read on `/v1/chat/completions`.
 */
export function rateLimitHeaders(
  limits: readonly LimitSnapshot[],
  options: { openai?: boolean } = {},
): Record<string, string> {
  if (limits.length === 0) return {}
  const headers: Record<string, string> = {
    'RateLimit-Policy': limits.map(policyItem).join(', '),
    RateLimit: limits.map((l) => `"${l.policy}";r=${l.remaining};t=${l.resetSeconds}`).join(', '),
  }
  if (options.openai) {
    for (const [policy, kind] of [
      ['rpm', 'requests'],
      ['tpm', 'tokens'],
    ] as const) {
      const limit = limits.find((l) => l.policy === policy)
      if (!limit) continue
      headers[`x-ratelimit-limit-${kind}`] = String(limit.quota)
      headers[`x-ratelimit-remaining-${kind}`] = String(limit.remaining)
      headers[`x-ratelimit-reset-${kind}`] = openAiDuration(limit.resetSeconds)
    }
  }
  return headers
}

function policyItem(limit: LimitSnapshot): string {
  const window = limit.windowSeconds === undefined ? '' : `;w=${limit.windowSeconds}`
  const unit = limit.unit === 'requests' ? '' : `;qu="${limit.unit}"`
  return `"${limit.policy}";q=${limit.quota}${unit}${window}`
}

/** OpenAI writes resets as Go durations: `1s`, `6m0s`, `1h2m3s`. */
function openAiDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  if (h > 0) return `${h}h${m}m${s}s`
  if (m > 0) return `${m}m${s}s`
  return `${s}s`
}
