import type { Context } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import type { CacheMark } from '../../core/models/fallback.ts'

/**
 * Says how the response cache served a completion: `X-Cache: HIT|MISS|COALESCED`, and `Age`
 * (seconds since the answer was produced) on a hit. Nothing for a call the cache did not
 * handle (not deterministic and not opted in). The body is the same either way.
 */
export function setCacheHeaders(c: Context<AppEnv>, cache: CacheMark | undefined): void {
  if (!cache) return
  c.header('X-Cache', cache.status)
  if (cache.status === 'HIT') c.header('Age', String(cache.ageSeconds))
}
