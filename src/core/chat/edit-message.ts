import type { AgentEvent } from '../agent/agent-event.ts'
import type { Message } from '../domain/history-records.ts'
import { AppError, NotFoundError } from '../errors.ts'
import { modelChoice } from '../models/model-choice.ts'
import type { ChatDeps } from './chat-deps.ts'
import { findMessage } from './find-message.ts'
import { type FlagVerdict, guardMarkOf, userTextPart } from './guard-mark.ts'
import { messageText, storedImages, toChatHistory } from './history-messages.ts'
import { contextMessages, type SentMessage, validMessage } from './send-message.ts'
import { startAnswer } from './start-answer.ts'

/** The new text of a conversation's last user message, to store and answer in its place. */
export interface EditMessageInput {
  ownerId: string
  conversationId: string
  /** The message being edited: it must be the conversation's last user message. */
  messageId: string
  content: string
  /** A `provider:model` id, a tier name, or `auto` (the router decides, the default). */
  model?: string
  /** Events that answer instead of the model (a gate stage's answer). */
  answer?: AsyncIterable<AgentEvent>
  /** Whether conversation pages should show the run live (false for programs). Default true. */
  live?: boolean
  /** The injection guard flagged the new text (the gate's inspect stage): mark and wrap it. */
  flag?: FlagVerdict
}

/**
 * Edit-and-resend: the conversation's last user message and everything after it (the answer
 * to it) are superseded, never deleted (history keeps them for usage), and the new text is
 * stored with the old message's images and answered in a new run, with the messages before
 * it as context. Rejects with `ValidationError` for an empty or oversized text,
 * `NotFoundError` for a conversation or message the owner cannot see, and a 409 `AppError`
 * while an answer is streaming (`answer_streaming`: its end would land after the edit) or when
 * the message is not the last user message (`message_not_last`, also the loser of two racing
 * edits).
 */
export async function editMessage(deps: ChatDeps, input: EditMessageInput): Promise<SentMessage> {
  const content = validMessage(input.content)
  modelChoice(input.model)
  const { history } = deps
  const { ownerId, conversationId } = input
  const conversation = await history.getConversation(ownerId, conversationId)
  if (!conversation) throw new NotFoundError('No such conversation')
  if (await deps.live.running(deps, ownerId, conversationId)) {
    throw new AppError('answer_streaming', 'Wait for the answer to finish before editing', {
      status: 409,
    })
  }
  const recent = await history.listMessages(ownerId, conversationId, {
    order: 'newest-first',
    limit: 100,
  })
  const items = recent?.items ?? []
  const index = items.findIndex((message) => message.role === 'user' && messageText(message))
  const edited = items[index]
  if (edited?.id !== input.messageId) {
    const exists = await findMessage(history, ownerId, conversationId, input.messageId)
    if (!exists) throw new NotFoundError('No such message')
    throw notLast()
  }
  const context = toChatHistory(items.slice(index + 1, index + 1 + contextMessages).reverse())
  const marked = await history.supersedeMessages(ownerId, conversationId, edited.id)
  if (marked === undefined) throw new NotFoundError('No such conversation')
  if (marked === 0) throw notLast()

  const images = storedImages(edited)
  const [userMessage] =
    (await history.appendMessages(ownerId, conversationId, [
      { role: 'user', content: [userTextPart(content, input.flag), ...imageParts(edited)] },
    ])) ?? []
  if (!userMessage) throw new NotFoundError('No such conversation')
  const run = await startAnswer(deps, {
    ownerId,
    conversation,
    question: content,
    guard: guardMarkOf(userMessage),
    images,
    context,
    model: input.model,
    answer: input.answer,
    live: input.live,
  })
  return { conversation, userMessage, run }
}

/** The edited message's image parts, as stored: an edit changes the words, not the pictures. */
function imageParts(message: Message) {
  return message.content.filter((part) => part.type === 'image')
}

function notLast() {
  return new AppError('message_not_last', 'Only the last message you sent can be edited', {
    status: 409,
  })
}
