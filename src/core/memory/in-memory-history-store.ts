import type {
  Conversation,
  Message,
  Page,
  PageRequest,
  Run,
  User,
} from '../domain/history-records.ts'
import { StoreError } from '../errors.ts'
import { sumDailyUsage } from './daily-usage.ts'
import { decodeCursor, encodeCursor } from './history-cursor.ts'
import { type ConversationMatch, type HistoryStore, searchLimits } from './history-store.ts'
import { createTimeOrderedId } from './time-ordered-id.ts'

/** Options of `createInMemoryHistoryStore`. */
export interface InMemoryHistoryStoreOptions {
  now?: () => number
  /** Ids for new rows; must sort (as text) in creation order. */
  newId?: () => string
}

interface StoredConversation extends Conversation {
  deleted: boolean
}

interface StoredMessage extends Message {
  superseded?: boolean
}

interface StoredRun extends Run {
  ownerId: string
}

/**
 * The history store's in-process twin: same contract as the PostgreSQL one, nothing
 * persisted. For tests and for Workers without `DATABASE_URL`, where an isolate's memory is
 * all there is. Values are copied in and out, so callers never share stored objects.
 */
export function createInMemoryHistoryStore(
  options: InMemoryHistoryStoreOptions = {},
): HistoryStore {
  const now = options.now ?? Date.now
  const newId = options.newId ?? createTimeOrderedId(now)
  const users = new Map<string, User>()
  const conversations = new Map<string, StoredConversation>()
  const messages = new Map<string, StoredMessage[]>()
  const runs = new Map<string, StoredRun>()

  const visible = (ownerId: string, id: string) => {
    const c = conversations.get(id)
    return c && c.ownerId === ownerId && !c.deleted ? c : undefined
  }
  const publicConversation = ({ deleted: _, ...c }: StoredConversation): Conversation => ({ ...c })
  const publicRun = ({ ownerId: _, ...run }: StoredRun): Run => structuredClone(run)
  const current = (conversationId: string) =>
    (messages.get(conversationId) ?? [])
      .filter((m) => !m.superseded)
      .map(({ superseded: _, ...m }): Message => m)

  return {
    async upsertUser(input) {
      const existing = users.get(input.id)
      const user: User = {
        id: input.id,
        email: input.email === undefined ? (existing?.email ?? null) : input.email,
        displayName:
          input.displayName === undefined ? (existing?.displayName ?? null) : input.displayName,
        createdAt: existing?.createdAt ?? now(),
      }
      const clash = [...users.values()].find((u) => u.email && u.email === user.email)
      if (clash && clash.id !== user.id) {
        throw new StoreError('history', 'history store: upsertUser email taken', {
          retryable: false,
          code: 'store_constraint',
        })
      }
      users.set(user.id, user)
      return { ...user }
    },
    async getUser(id) {
      const user = users.get(id)
      return user && { ...user }
    },
    async createConversation(ownerId, input = {}) {
      if (!users.has(ownerId)) {
        throw new StoreError('history', 'history store: createConversation unknown owner', {
          retryable: false,
          code: 'store_constraint',
        })
      }
      const at = now()
      const c = { id: newId(), ownerId, title: input.title ?? '', createdAt: at, updatedAt: at }
      conversations.set(c.id, { ...c, deleted: false })
      messages.set(c.id, [])
      return c
    },
    async getConversation(ownerId, id) {
      const c = visible(ownerId, id)
      return c && publicConversation(c)
    },
    async listConversations(ownerId, page = {}) {
      const mine = [...conversations.values()].filter((c) => c.ownerId === ownerId && !c.deleted)
      return paginate(
        'conversations',
        mine.map(publicConversation),
        page,
        'desc',
        (c) => c.updatedAt,
      )
    },
    async searchConversations(ownerId, query, options = {}) {
      const needle = query.trim().toLowerCase()
      if (!needle) return []
      const limit = Math.min(options.limit ?? searchLimits.default, searchLimits.max)
      const mine = [...conversations.values()]
        .filter((c) => c.ownerId === ownerId && !c.deleted)
        .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1))
      const found: ConversationMatch[] = []
      for (const c of mine) {
        if (found.length >= limit) break
        const messageText = current(c.id)
          .map(textOfMessage)
          .find((text) => text.toLowerCase().includes(needle))
        if (messageText !== undefined || c.title.toLowerCase().includes(needle)) {
          found.push({
            conversation: publicConversation(c),
            ...(messageText !== undefined ? { messageText } : {}),
          })
        }
      }
      return found
    },
    async renameConversation(ownerId, id, title) {
      const c = visible(ownerId, id)
      if (!c) return undefined
      c.title = title
      c.updatedAt = now()
      return publicConversation(c)
    },
    async deleteConversation(ownerId, id) {
      const c = visible(ownerId, id)
      if (c) c.deleted = true
      return c !== undefined
    },
    async appendMessages(ownerId, conversationId, input) {
      const c = visible(ownerId, conversationId)
      if (!c) return undefined
      c.updatedAt = now()
      const added = input.map(
        (m): Message => ({
          ...structuredClone(m),
          content: structuredClone([...m.content]),
          id: newId(),
          conversationId,
          createdAt: c.updatedAt,
        }),
      )
      messages.get(conversationId)?.push(...added)
      return structuredClone(added)
    },
    async supersedeMessages(ownerId, conversationId, messageId) {
      if (!visible(ownerId, conversationId)) return undefined
      const all = messages.get(conversationId) ?? []
      const from = all.findIndex((m) => m.id === messageId && !m.superseded)
      if (from < 0) return 0
      const marked = all.slice(from).filter((m) => !m.superseded)
      for (const m of marked) m.superseded = true
      return marked.length
    },
    async listMessages(ownerId, conversationId, page = {}) {
      if (!visible(ownerId, conversationId)) return undefined
      const newestFirst = page.order === 'newest-first'
      const all = structuredClone(current(conversationId))
      const kind = newestFirst ? 'messages-desc' : 'messages-asc'
      return paginate(kind, all, page, newestFirst ? 'desc' : 'asc', (m) => m.createdAt)
    },
    async createRun(ownerId, input) {
      if (!visible(ownerId, input.conversationId)) return undefined
      const at = now()
      const run: StoredRun = {
        id: newId(),
        ownerId,
        conversationId: input.conversationId,
        status: input.status ?? 'running',
        startedAt: at,
        updatedAt: at,
      }
      if (input.route !== undefined) run.route = structuredClone(input.route)
      runs.set(run.id, run)
      return publicRun(run)
    },
    async updateRun(ownerId, id, patch) {
      const run = runs.get(id)
      if (!run || run.ownerId !== ownerId || !visible(ownerId, run.conversationId)) return undefined
      run.updatedAt = now()
      if (patch.status !== undefined) run.status = patch.status
      if (patch.route !== undefined) run.route = structuredClone(patch.route)
      if (patch.error === null) delete run.error
      else if (patch.error !== undefined) run.error = { ...patch.error }
      if (patch.usage !== undefined) run.usage = { ...patch.usage }
      if (patch.finishedAt !== undefined) run.finishedAt = patch.finishedAt
      return publicRun(run)
    },
    async getRun(ownerId, id) {
      const run = runs.get(id)
      if (!run || run.ownerId !== ownerId || !visible(ownerId, run.conversationId)) return undefined
      return publicRun(run)
    },
    async usageByDay(ownerId, range) {
      // Deleted conversations count too: usage is an account of spending.
      const mine = [...conversations.values()].filter((c) => c.ownerId === ownerId)
      return sumDailyUsage(
        mine.flatMap((c) => messages.get(c.id) ?? []),
        range,
      )
    },
  }
}

/** The same (time, id) keyset pagination the PostgreSQL store does, over an array. */
function paginate<T extends { id: string }>(
  kind: string,
  items: T[],
  page: PageRequest,
  direction: 'asc' | 'desc',
  time: (item: T) => number,
): Page<T> {
  const sign = direction === 'asc' ? 1 : -1
  const compare = (a: { at: number; id: string }, b: { at: number; id: string }) =>
    sign * (a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const key = (item: T) => ({ at: time(item), id: item.id })
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? 20), 1), 100)
  const cursor = page.cursor === undefined ? undefined : decodeCursor(kind, page.cursor)
  const sorted = items
    .filter((item) => !cursor || compare(key(item), cursor) > 0)
    .sort((a, b) => compare(key(a), key(b)))
  if (sorted.length <= limit) return { items: sorted }
  const pageItems = sorted.slice(0, limit)
  const last = pageItems[pageItems.length - 1]!
  return { items: pageItems, nextCursor: encodeCursor(kind, key(last)) }
}

/** A message's text parts joined by newlines: what search looks in (as the SQL store does). */
function textOfMessage(message: Message): string {
  return message.content
    .flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : []))
    .join('\n')
}
