import type { ChatDeps } from '../chat/chat-deps.ts'
import type { Toolbox } from '../tools/toolbox.ts'
import type { RequestContext } from './request-context.ts'

/**
 * Gives the turn the tools of this request: the built-ins and the remote servers' tools
 * known now (from the KV cache when warm: no request to a server), each acting for the
 * request's principal.
 */
export async function bindTools<D extends ChatDeps & { toolbox?: Toolbox }>(
  deps: D,
  context: RequestContext,
): Promise<D> {
  if (!deps.toolbox) return deps
  const tools = await deps.toolbox.forTurn({
    principal: context.principal,
    ...(context.signal ? { signal: context.signal } : {}),
  })
  return { ...deps, turn: { ...deps.turn, tools } }
}
