// @ts-types="@modelcontextprotocol/sdk/types"
import type { Resource } from '@modelcontextprotocol/sdk/types.js'
import type { Conversation, Message } from '../domain/history-records.ts'
import type { HistoryStore } from '../memory/history-store.ts'
import { JsonRpcFailure, resourceNotFoundCode } from './json-rpc-failure.ts'

const prefix = 'outpost://conversations/'

/** The URI template of a conversation resource, for `resources/templates/list`. */
export const conversationUriTemplate = `${prefix}{id}`

/** The most messages one read returns: the newest of a longer conversation. */
const messagesPerRead = 200

/** A conversation's resource URI. */
export function conversationUri(id: string): string {
  return `${prefix}${encodeURIComponent(id)}`
}

/**
 * The owner's conversations as MCP resources: listed a page at a time (the history's own
 * cursor is the MCP cursor), read as JSON with their messages. Another owner's or an unknown
 * conversation is "resource not found", indistinguishable from each other.
 */
export function conversationResources(history: HistoryStore, ownerId: string) {
  return {
    async list(
      cursor: string | undefined,
    ): Promise<{ resources: Resource[]; nextCursor?: string }> {
      const page = await history.listConversations(ownerId, { limit: 50, cursor })
      return {
        resources: page.items.map(describe),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      }
    },

    async read(uri: string) {
      const id = idOf(uri)
      const conversation = id === undefined ? undefined : await history.getConversation(ownerId, id)
      const page =
        conversation &&
        (await history.listMessages(ownerId, conversation.id, {
          order: 'newest-first',
          limit: messagesPerRead,
        }))
      if (!conversation || !page) {
        throw new JsonRpcFailure(resourceNotFoundCode, 'Resource not found', { uri })
      }
      const body = {
        id: conversation.id,
        title: conversation.title,
        created_at: new Date(conversation.createdAt).toISOString(),
        updated_at: new Date(conversation.updatedAt).toISOString(),
        messages: [...page.items].reverse().map(messageView),
        ...(page.nextCursor ? { earlier_messages_omitted: true } : {}),
      }
      return {
        contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(body, null, 2) }],
      }
    },
  }
}

function describe(conversation: Conversation): Resource {
  return {
    uri: conversationUri(conversation.id),
    name: conversation.id,
    title: conversation.title || 'Untitled conversation',
    mimeType: 'application/json',
    annotations: { lastModified: new Date(conversation.updatedAt).toISOString() },
  }
}

function messageView(message: Message) {
  const text = message.content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('')
  return {
    id: message.id,
    role: message.role,
    text,
    created_at: new Date(message.createdAt).toISOString(),
    ...(message.model ? { model: message.model } : {}),
  }
}

/** The conversation id in one of our URIs; undefined for anything else. */
function idOf(uri: string): string | undefined {
  if (!uri.startsWith(prefix)) return undefined
  try {
    const id = decodeURIComponent(uri.slice(prefix.length))
    return id && !id.includes('/') ? id : undefined
  } catch {
    return undefined
  }
}
