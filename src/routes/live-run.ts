import type { ChatDeps } from '../core/chat/chat-deps.ts'
import { getRun } from '../core/chat/run-access.ts'
import type { Message, Run } from '../core/memory/history-store.ts'
import type { KvStore } from '../core/memory/kv-store.ts'

const key = (conversationId: string) => `ui:live-run:${conversationId}`

/**
 * Remembers the run now answering in a conversation, so another tab (or a reload) of the
 * conversation page can show it live. Kept as long as the run log keeps the run.
 */
export function rememberLiveRun(
  kv: KvStore,
  conversationId: string,
  runId: string,
  ttlMs: number,
): Promise<boolean> {
  return kv.set(key(conversationId), runId, { ttlMs })
}

/** The conversation's live run, if one is still running. */
export async function findLiveRun(
  deps: Pick<ChatDeps, 'history' | 'runLog'>,
  kv: KvStore,
  ownerId: string,
  conversationId: string,
): Promise<Run | undefined> {
  const runId = await kv.get<string>(key(conversationId))
  if (!runId) return undefined
  const found = await getRun(deps, ownerId, runId).catch(() => undefined)
  return found?.live && found.run.conversationId === conversationId ? found.run : undefined
}

/**
 * History as it stood before `run` answered: its answer is stored just before the run ends,
 * and a page that replays the run from its log must not show it twice.
 */
export function beforeRunAnswer(messages: readonly Message[], run: Run): Message[] {
  return messages.filter((m) => !(m.role === 'assistant' && m.createdAt >= run.startedAt))
}
