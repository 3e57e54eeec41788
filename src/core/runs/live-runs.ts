import type { Run } from '../domain/history-records.ts'
import type { KvStore } from '../memory/kv-store.ts'
import { getRun, type RunAccessDeps } from './run-access.ts'

/**
 * Which run is answering in a conversation right now, so another tab (or a reload) of the
 * conversation can show it live, and so an edit can refuse to replace a question whose answer
 * is still being written. Written when a conversation's run starts; kept as long as the run
 * log keeps the run.
 */
export interface LiveRuns {
  /**
   * Points the conversation at its newest run. `shown: false` (a program's run, which has no
   * page to show it) counts for `running` but not for `find`.
   */
  remember(conversationId: string, runId: string, options?: { shown?: boolean }): Promise<void>
  /** The conversation's run to show live, if one is still running and the owner may see it. */
  find(deps: RunAccessDeps, ownerId: string, conversationId: string): Promise<Run | undefined>
  /** The conversation's run still running, shown or not, if the owner may see it. */
  running(deps: RunAccessDeps, ownerId: string, conversationId: string): Promise<Run | undefined>
}

/** A program's run: kept apart from a string (a run to show) so old pointers read the same. */
interface UnshownPointer {
  runId: string
  shown: false
}

/** Live-run pointers in the KV store, under `ui:live-run:` (the key name predates the module). */
export function createLiveRuns(options: { kv: KvStore; ttlMs: number }): LiveRuns {
  const key = (conversationId: string) => `ui:live-run:${conversationId}`
  async function lookup(
    deps: RunAccessDeps,
    ownerId: string,
    conversationId: string,
    includeUnshown: boolean,
  ) {
    const pointer = await options.kv.get<string | UnshownPointer>(key(conversationId))
    if (!pointer) return undefined
    if (typeof pointer !== 'string' && !includeUnshown) return undefined
    const runId = typeof pointer === 'string' ? pointer : pointer.runId
    const found = await getRun(deps, ownerId, runId, { conversationId }).catch(() => undefined)
    return found?.live ? found.run : undefined
  }
  return {
    async remember(conversationId, runId, { shown = true } = {}) {
      const pointer: string | UnshownPointer = shown ? runId : { runId, shown: false }
      await options.kv.set(key(conversationId), pointer, { ttlMs: options.ttlMs })
    },
    find: (deps, ownerId, conversationId) => lookup(deps, ownerId, conversationId, false),
    running: (deps, ownerId, conversationId) => lookup(deps, ownerId, conversationId, true),
  }
}
