import type { AgentEvent } from '../agent/agent-event.ts'
import type { Conversation, Message } from '../domain/history-records.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import { modelChoice } from '../models/model-choice.ts'
import type { StartedRun } from '../runs/start-run.ts'
import type { ChatDeps } from './chat-deps.ts'
import { guardMarkOf } from './guard-mark.ts'
import { messageText, storedImages, toChatHistory } from './history-messages.ts'
import { contextMessages } from './send-message.ts'
import { startAnswer } from './start-answer.ts'

/** Which conversation's last answer to produce again. */
export interface RegenerateInput {
  ownerId: string
  conversationId: string
  model?: string
  /** Events that answer instead of the model (a gate stage's answer). */
  answer?: AsyncIterable<AgentEvent>
  /** Whether conversation pages should show the run live (false for programs). Default true. */
  live?: boolean
}

/** What `regenerate` started: a new run answering the existing last user message. */
export interface Regenerated {
  conversation: Conversation
  userMessage: Message
  run: StartedRun
}

/**
 * Answers the conversation's last user message again, in a new run, without storing that
 * message a second time. The earlier answer stays in history (history is append-only); the
 * context is what preceded the question, so the model does not see its previous attempt.
 * Rejects with `NotFoundError` for a conversation the owner cannot see and `ValidationError`
 * when there is no user message to answer.
 */
export async function regenerate(deps: ChatDeps, input: RegenerateInput): Promise<Regenerated> {
  modelChoice(input.model)
  const conversation = await deps.history.getConversation(input.ownerId, input.conversationId)
  if (!conversation) throw new NotFoundError('No such conversation')
  const recent = await deps.history.listMessages(input.ownerId, conversation.id, {
    order: 'newest-first',
    limit: 100,
  })
  const items = recent?.items ?? []
  const index = items.findIndex((message) => message.role === 'user' && messageText(message))
  const userMessage = items[index]
  if (!userMessage) {
    throw new ValidationError('There is no question to answer again', {
      code: 'nothing_to_regenerate',
    })
  }
  const earlier = items.slice(index + 1, index + 1 + contextMessages).reverse()
  const run = await startAnswer(deps, {
    ownerId: input.ownerId,
    conversation,
    question: messageText(userMessage),
    guard: guardMarkOf(userMessage),
    images: storedImages(userMessage),
    context: toChatHistory(earlier),
    model: input.model,
    answer: input.answer,
    live: input.live,
  })
  return { conversation, userMessage, run }
}
