import { defaultCachePolicy } from '../cache/cache-policy.ts'
import type { ModelCallCache } from '../cache/model-call-cache.ts'
import type { ChatDeps } from '../chat/chat-deps.ts'
import type { ModelWork } from './model-work.ts'
import type { RequestContext } from './request-context.ts'

/**
 * The reuse stage of the gate, at the model call: the turn's model calls go through the
 * response cache bound to this caller (tenant = the principal, the context's policy), so
 * every surface caches and coalesces the same way. A regeneration asks for a new answer, so
 * it never reads the cache (it may still store what it gets).
 */
export function reuseModelCalls<D extends ChatDeps & { cache?: ModelCallCache }>(
  deps: D,
  context: RequestContext,
  work: ModelWork,
): D {
  if (!deps.cache) return deps
  const policy = context.cache ?? defaultCachePolicy
  const call = deps.cache.bind({
    tenant: context.principal.userId,
    ...(policy.namespace ? { namespace: policy.namespace } : {}),
    policy: work.kind === 'regenerate' ? { ...policy, read: false } : policy,
    defer: deps.defer,
  })
  return { ...deps, turn: { ...deps.turn, call } }
}
