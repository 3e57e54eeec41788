import type { GuardPath } from '../guards/injection/injection-policy.ts'
import type { FlaggedInput } from '../guards/injection/inspect-inputs.ts'
import { wrapUntrusted } from '../guards/injection/untrusted-data.ts'
import type { ChatMessage, ChatRequest, ContentPart } from '../models/chat-model.ts'

/** The text of a transcript message: a string, or its text parts joined (images left out). */
export function requestText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content
  return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n')
}

const pathOf: Partial<Record<ChatMessage['role'], GuardPath>> = {
  user: 'user-input',
  tool: 'tool-result',
}

/**
 * The request with every message the guard flagged wrapped as untrusted data (its text parts
 * become one wrapped text part; images stay). A message is matched by its path and text, as
 * the inspect stage read it; the rest of the request is unchanged.
 */
export function wrapFlagged(request: ChatRequest, flagged: readonly FlaggedInput[]): ChatRequest {
  if (flagged.length === 0) return request
  const messages = request.messages.map((message): ChatMessage => {
    const path = pathOf[message.role]
    if (!path) return message
    const text = requestText(message)
    const hit = flagged.find((input) => input.path === path && input.text === text)
    if (!hit) return message
    const wrapped = wrapUntrusted(text, path, hit.verdict.reasons)
    if (message.role === 'tool') return { ...message, content: wrapped }
    if (message.role !== 'user') return message
    const others: ContentPart[] =
      typeof message.content === 'string'
        ? []
        : message.content.filter((part) => part.type !== 'text')
    return {
      ...message,
      content: others.length > 0 ? [{ type: 'text', text: wrapped }, ...others] : wrapped,
    }
  })
  return { ...request, messages }
}
