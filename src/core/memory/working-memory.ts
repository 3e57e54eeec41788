import type { Conversation, Message } from '../domain/history-records.ts'
import type { HistoryStore } from './history-store.ts'
import type { KvStore } from './kv-store.ts'

/** Messages a session keeps: the model's context window of history (see `contextMessages`). */
export const sessionMessages = 20
/** How long an idle conversation stays warm. */
export const sessionTtlMs = 30 * 60_000

/** An active conversation in working memory: its row and its latest messages, oldest first. */
export interface Session {
  ownerId: string
  conversation: Conversation
  messages: Message[]
}

/** The working-memory key of a conversation. */
export const sessionKey = (conversationId: string) => `session:${conversationId}`

/**
 * The conversation and its latest `sessionMessages` messages: from working memory when the
 * conversation is warm (no history read at all), else from history, then kept warm for
 * `sessionTtlMs`. A session is only ever served to its owner. Working memory is a cache: if
 * the KV store fails, history answers.
 */
export async function loadSession(
  deps: { history: HistoryStore; kv: KvStore; sessions?: boolean },
  ownerId: string,
  conversationId: string,
): Promise<Session | undefined> {
  const enabled = deps.sessions !== false
  const warm = enabled
    ? await deps.kv.get<Session>(sessionKey(conversationId)).catch(() => undefined)
    : undefined
  if (warm && warm.ownerId === ownerId) return warm
  const conversation = await deps.history.getConversation(ownerId, conversationId)
  if (!conversation) return undefined
  const page = await deps.history.listMessages(ownerId, conversationId, {
    order: 'newest-first',
    limit: sessionMessages,
  })
  const session: Session = { ownerId, conversation, messages: [...(page?.items ?? [])].reverse() }
  if (!enabled) return session
  await deps.kv.set(sessionKey(conversationId), session, { ttlMs: sessionTtlMs }).catch(() => false)
  return session
}

/** Drops a conversation's session: the next turn reads history again. */
export async function forgetSession(deps: { kv: KvStore }, conversationId: string): Promise<void> {
  await deps.kv.delete(sessionKey(conversationId)).catch(() => false)
}

/**
 * History that keeps working memory true: appended messages are added to a warm session
 * (so the next turn stays warm), and every other change to a conversation (rename, delete,
 * an edit superseding messages) drops its session. Every writer goes through this store, so no session outlives a change.
 */
export function withWorkingMemory(history: HistoryStore, kv: KvStore): HistoryStore {
  const changes: Partial<HistoryStore> = {
    async createConversation(ownerId, input) {
      const conversation = await history.createConversation(ownerId, input)
      // A new conversation is warm from its first turn: nothing in it to read.
      await kv
        .set(
          sessionKey(conversation.id),
          { ownerId, conversation, messages: [] } satisfies Session,
          {
            ttlMs: sessionTtlMs,
          },
        )
        .catch(() => false)
      return conversation
    },
    async appendMessages(ownerId, conversationId, messages) {
      const stored = await history.appendMessages(ownerId, conversationId, messages)
      const key = sessionKey(conversationId)
      const warm = await kv.get<Session>(key).catch(() => undefined)
      if (!warm) return stored
      if (!stored || warm.ownerId !== ownerId) {
        await forgetSession({ kv }, conversationId)
        return stored
      }
      const next: Session = {
        ...warm,
        messages: [...warm.messages, ...stored].slice(-sessionMessages),
      }
      await kv
        .set(key, next, { ttlMs: sessionTtlMs })
        .catch(() => forgetSession({ kv }, conversationId))
      return stored
    },
    async supersedeMessages(ownerId, conversationId, messageId) {
      const marked = await history.supersedeMessages(ownerId, conversationId, messageId)
      // The session may hold what was just superseded: the next turn reads history again.
      await forgetSession({ kv }, conversationId)
      return marked
    },
    async renameConversation(ownerId, id, title) {
      const renamed = await history.renameConversation(ownerId, id, title)
      await forgetSession({ kv }, id)
      return renamed
    },
    async deleteConversation(ownerId, id) {
      const deleted = await history.deleteConversation(ownerId, id)
      await forgetSession({ kv }, id)
      return deleted
    },
  }
  // The other methods pass straight through (the store may itself be a tracing proxy).
  return new Proxy(history, {
    get: (target, property, receiver) =>
      property in changes
        ? changes[property as keyof HistoryStore]
        : Reflect.get(target, property, receiver),
  })
}
