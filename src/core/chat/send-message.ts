import type { AgentEvent } from '../agent/agent-event.ts'
import type { Conversation, Message } from '../domain/history-records.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import { checkImageCount, type ImageUpload } from '../images/image-upload.ts'
import type { HistoryStore } from '../memory/history-store.ts'
import { loadSession } from '../memory/working-memory.ts'
import { modelChoice } from '../models/model-choice.ts'
import type { StartedRun } from '../runs/start-run.ts'
import { cutText, requirePlainText } from '../text/plain-text.ts'
import type { ChatDeps } from './chat-deps.ts'
import { type FlagVerdict, guardMarkOf, userTextPart } from './guard-mark.ts'
import { toChatHistory } from './history-messages.ts'
import { startAnswer } from './start-answer.ts'

/** A user's message to send; without `conversationId` it starts a new conversation. */
export interface SendMessageInput {
  ownerId: string
  conversationId?: string
  content: string
  /** Checked images attached to the message; stored with it and shown to a vision model. */
  images?: readonly ImageUpload[]
  /** A `provider:model` id, a tier name, or `auto` (the router decides, the default). */
  model?: string
  /** Events that answer instead of the model (a gate stage's answer). */
  answer?: AsyncIterable<AgentEvent>
  /** Whether conversation pages should show the run live (false for programs). Default true. */
  live?: boolean
  /** The injection guard flagged the message (the gate's inspect stage): mark and wrap it. */
  flag?: FlagVerdict
}

/** What `sendMessage` started. */
export interface SentMessage {
  conversation: Conversation
  userMessage: Message
  /** The live run answering it; its id is also the history run's id. */
  run: StartedRun
}

/** The longest message accepted, in characters. */
export const maxMessageChars = 32_000
/** How many earlier messages go into the model's context. */
export const contextMessages = 20

/**
 * Stores the user's message and starts a run answering it. The run belongs to the background
 * (`deps.defer`): it finishes, is logged and is written to history even if the caller goes
 * away. Rejects with `ValidationError` for an empty or oversized message and `NotFoundError`
 * for a conversation the owner cannot see.
 */
export async function sendMessage(deps: ChatDeps, input: SendMessageInput): Promise<SentMessage> {
  const content = validMessage(input.content)
  const images = input.images ?? []
  checkImageCount(images.length)
  modelChoice(input.model)
  const { history } = deps

  // A warm conversation comes from working memory; a new one has no history to read.
  const session = input.conversationId
    ? await loadSession(deps, input.ownerId, input.conversationId)
    : {
        conversation: await startConversation(history, input.ownerId, titleFrom(content)),
        messages: [],
      }
  if (!session) throw new NotFoundError('No such conversation')
  const { conversation } = session
  const context = toChatHistory(session.messages.slice(-contextMessages))
  const [userMessage] =
    (await history.appendMessages(input.ownerId, conversation.id, [
      {
        role: 'user',
        content: [
          userTextPart(content, input.flag),
          ...images.map((image) => ({
            type: 'image',
            mediaType: image.mediaType,
            data: image.data,
          })),
        ],
      },
    ])) ?? []
  if (!userMessage) throw new NotFoundError('No such conversation')

  const started = await startAnswer(deps, {
    ownerId: input.ownerId,
    conversation,
    question: content,
    guard: guardMarkOf(userMessage),
    images,
    context,
    model: input.model,
    answer: input.answer,
    live: input.live,
  })
  return { conversation, userMessage, run: started }
}

/** The message to store, trimmed; rejects an empty or oversized one before anything is written. */
export function validMessage(text: string): string {
  const content = requirePlainText(text, 'message').trim()
  if (!content) throw new ValidationError('The message is empty', { code: 'message_empty' })
  if (content.length > maxMessageChars) {
    throw new ValidationError(`The message is longer than ${maxMessageChars} characters`, {
      code: 'message_too_long',
    })
  }
  return content
}

/** A conversation title from its first message: the first line, at most 60 characters. */
export function titleFrom(content: string): string {
  const line = content.split('\n', 1)[0]?.trim() ?? ''
  return line.length > 60 ? `${cutText(line, 59).trimEnd()}…` : line
}

/**
 * A new conversation for `ownerId`, creating the user first: owners come from API keys
 * provisioned by configuration and from guest cookies that outlived an in-memory history,
 * and neither has a user row yet. Upserting only the id leaves an existing user unchanged.
 */
async function startConversation(history: HistoryStore, ownerId: string, title: string) {
  await history.upsertUser({ id: ownerId })
  return history.createConversation(ownerId, { title })
}
