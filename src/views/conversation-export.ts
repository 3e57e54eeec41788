import type { Conversation, Message } from '../core/domain/history-records.ts'
import { textOf } from './message-view.tsx'

/** The file name of a conversation's download: its title made safe, then its id. */
export function exportFileName(conversation: Conversation, extension: 'md' | 'json'): string {
  const stem = conversation.title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60)
  return `${stem || 'conversation'}-${conversation.id}.${extension}`
}

/**
 * A conversation as Markdown: the title, then each question and answer under a heading that
 * names who wrote it (and, for answers, the model). Answers are already Markdown; questions
 * are plain text, so they go in a block quote that keeps their line breaks.
 */
export function conversationMarkdown(
  conversation: Conversation,
  messages: readonly Message[],
): string {
  const lines = [`# ${conversation.title || 'Untitled'}`, '']
  lines.push(`_Exported from Outpost; started ${new Date(conversation.createdAt).toISOString()}._`)
  for (const message of messages) {
    const text = textOf(message).trim()
    if (message.role === 'user') {
      lines.push('', '## You', '', ...text.split('\n').map((line) => `> ${line}`.trimEnd()))
    } else if (message.role === 'assistant') {
      lines.push('', `## Assistant${message.model ? ` (${message.model})` : ''}`, '', text)
    }
  }
  return `${lines.join('\n')}\n`
}

/** A conversation as JSON: what the store holds, minus the owner's id. */
export function conversationJson(conversation: Conversation, messages: readonly Message[]) {
  const { ownerId: _, ...visible } = conversation
  return {
    conversation: {
      ...visible,
      createdAt: new Date(conversation.createdAt).toISOString(),
      updatedAt: new Date(conversation.updatedAt).toISOString(),
    },
    messages: messages.map((message) => ({
      id: message.id,
      role: message.role,
      content: message.content,
      ...(message.model ? { model: message.model } : {}),
      ...(message.usage ? { usage: message.usage } : {}),
      ...(message.toolCalls ? { toolCalls: message.toolCalls } : {}),
      ...(message.toolResults ? { toolResults: message.toolResults } : {}),
      createdAt: new Date(message.createdAt).toISOString(),
    })),
  }
}
