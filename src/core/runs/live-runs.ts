import type { Run } from '../domain/history-records.ts'
import type { KvStore } from '../memory/kv-store.ts'
import { getRun, type RunAccessDeps } from './run-access.ts'

/**
 * Which run is answering in a conversation right now, so another tab (or a reload) of the
 * conversation can show it live. Written when a conversation's run starts; kept as long as the
 * run log keeps the run.
 */
export interface LiveRuns {
  remember(conversationId: string, runId: string): Promise<void>
  /** The conversation's run, if one is still running and the owner may see it. */
  find(deps: RunAccessDeps, ownerId: string, conversationId: string): Promise<Run | undefined>
}

/** Live-run pointers in the KV store, under `ui:live-run:` (the key name predates the module). */
export function createLiveRuns(options: { kv: KvStore; ttlMs: number }): LiveRuns {
  const key = (conversationId: string) => `ui:live-run:${conversationId}`
  return {
    async remember(conversationId, runId) {
      await options.kv.set(key(conversationId), runId, { ttlMs: options.ttlMs })
    },
    async find(deps, ownerId, conversationId) {
      const runId = await options.kv.get<string>(key(conversationId))
      if (!runId) return undefined
      const found = await getRun(deps, ownerId, runId, { conversationId }).catch(() => undefined)
      return found?.live ? found.run : undefined
    },
  }
}
