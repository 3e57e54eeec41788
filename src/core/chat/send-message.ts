import { runTurn, type TurnInput } from '../agent/run-turn.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import type { Conversation, Message } from '../memory/history-store.ts'
import type { ChatMessage } from '../models/chat-model.ts'
import { type Tier, tiers } from '../models/model-catalog.ts'
import { type StartedRun, startRun } from '../runs/start-run.ts'
import type { ChatDeps } from './chat-deps.ts'
import { toChatHistory } from './history-messages.ts'
import { recordTurn } from './record-turn.ts'
import { recallMemories, rememberExchange } from './semantic-memory.ts'
import { systemPrompt } from './system-prompt.ts'

/** A user's message to send; without `conversationId` it starts a new conversation. */
export interface SendMessageInput {
  ownerId: string
  conversationId?: string
  content: string
  /** A `provider:model` id, a tier name, or `auto` (the router decides, the default). */
  model?: string
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
const contextMessages = 20

/**
 * Stores the user's message and starts a run answering it. The run belongs to the background
 * (`deps.defer`): it finishes, is logged and is written to history even if the caller goes
 * away. Rejects with `ValidationError` for an empty or oversized message and `NotFoundError`
 * for a conversation the owner cannot see.
 */
export async function sendMessage(deps: ChatDeps, input: SendMessageInput): Promise<SentMessage> {
  const content = input.content.trim()
  if (!content) throw new ValidationError('The message is empty', { code: 'message_empty' })
  if (content.length > maxMessageChars) {
    throw new ValidationError(`The message is longer than ${maxMessageChars} characters`, {
      code: 'message_too_long',
    })
  }
  const now = deps.now ?? Date.now
  const { history } = deps

  const conversation = input.conversationId
    ? await history.getConversation(input.ownerId, input.conversationId)
    : await history.createConversation(input.ownerId, { title: titleFrom(content) })
  if (!conversation) throw new NotFoundError('No such conversation')

  const earlier = await history.listMessages(input.ownerId, conversation.id, {
    order: 'newest-first',
    limit: contextMessages,
  })
  const context = toChatHistory([...(earlier?.items ?? [])].reverse())
  const [userMessage] =
    (await history.appendMessages(input.ownerId, conversation.id, [
      { role: 'user', content: [{ type: 'text', text: content }] },
    ])) ?? []
  const run = await history.createRun(input.ownerId, { conversationId: conversation.id })
  if (!userMessage || !run) throw new NotFoundError('No such conversation')

  const turnInput: TurnInput = {
    message: content,
    history: context,
    conversationId: conversation.id,
    ...modelChoice(input.model),
  }
  const recall = async (turn: TurnInput, signal?: AbortSignal): Promise<ChatMessage[]> => {
    const memories = await recallMemories(
      deps,
      { ownerId: input.ownerId, conversationId: conversation.id, question: content },
      signal,
    ).catch((error: unknown) => {
      // Recall improves an answer; a vector store hiccup must not prevent one.
      deps.logger.warn('recall failed', { error: String(error) })
      return []
    })
    const note: ChatMessage[] =
      memories.length > 0
        ? [
            {
              role: 'system',
              content: `From earlier conversations with this user:\n\n${memories.join('\n\n')}`,
            },
          ]
        : []
    return [...note, ...(turn.history ?? [])]
  }

  const started = await startRun(
    {
      runLog: deps.runLog,
      defer: deps.defer,
      id: run.id,
      meta: { ownerId: input.ownerId, conversationId: conversation.id },
      now,
    },
    (signal) =>
      recordTurn(
        {
          history,
          ownerId: input.ownerId,
          conversationId: conversation.id,
          runId: run.id,
          now,
          onAnswer: (answer) =>
            deps.defer(
              rememberExchange(deps, {
                id: answer.messageId,
                ownerId: input.ownerId,
                conversationId: conversation.id,
                question: content,
                answer: answer.text,
                at: now(),
              }),
            ),
        },
        runTurn(
          { ...deps.turn, system: deps.turn.system ?? systemPrompt, recall },
          turnInput,
          signal,
        ),
      ),
  ).catch(async (error: unknown) => {
    // The run log could not take the run: record that, rather than a run forever "running".
    await history
      .updateRun(input.ownerId, run.id, {
        status: 'failed',
        error: { code: 'run_not_started', message: 'The run could not be started' },
        finishedAt: now(),
      })
      .catch(() => {})
    throw error
  })
  return { conversation, userMessage, run: started }
}

/** A conversation title from its first message: the first line, at most 60 characters. */
export function titleFrom(content: string): string {
  const line = content.split('\n', 1)[0]?.trim() ?? ''
  return line.length > 60 ? `${line.slice(0, 59).trimEnd()}…` : line
}

function modelChoice(model: string | undefined): Pick<TurnInput, 'model' | 'tier'> {
  if (!model || model === 'auto') return {}
  if ((tiers as readonly string[]).includes(model)) return { tier: model as Tier }
  if (!/^[a-z]+:\S+$/.test(model)) {
    throw new ValidationError('model must be auto, a tier or provider:model', {
      code: 'model_invalid',
    })
  }
  return { model }
}
