import { runTurn, type TurnInput } from '../agent/run-turn.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import type { Conversation } from '../memory/history-store.ts'
import type { ChatMessage } from '../models/chat-model.ts'
import { type Tier, tiers } from '../models/model-catalog.ts'
import { type StartedRun, startRun } from '../runs/start-run.ts'
import type { ChatDeps } from './chat-deps.ts'
import { recordTurn } from './record-turn.ts'
import { recallMemories, rememberExchange } from './semantic-memory.ts'
import { systemPrompt } from './system-prompt.ts'

/** A question to answer in a conversation, with the messages that came before it. */
export interface AnswerRequest {
  ownerId: string
  conversation: Conversation
  /** The user's message being answered (already stored in history). */
  question: string
  /** Earlier messages, oldest first, as model context. */
  context: ChatMessage[]
  /** A `provider:model` id, a tier name, or `auto`. */
  model?: string
}

/**
 * Records a run in history and starts it answering `question`: recall, routing, the agent
 * loop, the run log and the write-back to history, all in the background (`deps.defer`).
 * Shared by `sendMessage` and `regenerate`, which differ only in what they store first.
 */
export async function startAnswer(deps: ChatDeps, request: AnswerRequest): Promise<StartedRun> {
  const { history } = deps
  const now = deps.now ?? Date.now
  const { ownerId, conversation, question } = request
  const choice = modelChoice(request.model)
  const run = await history.createRun(ownerId, { conversationId: conversation.id })
  if (!run) throw new NotFoundError('No such conversation')

  const turnInput: TurnInput = {
    message: question,
    history: request.context,
    conversationId: conversation.id,
    ...choice,
  }
  const recall = async (turn: TurnInput, signal?: AbortSignal): Promise<ChatMessage[]> => {
    const memories = await recallMemories(
      deps,
      { ownerId, conversationId: conversation.id, question },
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

  return startRun(
    {
      runLog: deps.runLog,
      defer: deps.defer,
      id: run.id,
      meta: { ownerId, conversationId: conversation.id },
      now,
      logger: deps.logger,
    },
    (signal) =>
      recordTurn(
        {
          history,
          ownerId,
          conversationId: conversation.id,
          runId: run.id,
          now,
          logger: deps.logger,
          onAnswer: (answer) =>
            deps.defer(
              rememberExchange(deps, {
                id: answer.messageId,
                ownerId,
                conversationId: conversation.id,
                question,
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
      .updateRun(ownerId, run.id, {
        status: 'failed',
        error: { code: 'run_not_started', message: 'The run could not be started' },
        finishedAt: now(),
      })
      .catch(() => {})
    throw error
  })
}

/** Validates a model choice; rejects before anything is written. */
export function modelChoice(model: string | undefined): Pick<TurnInput, 'model' | 'tier'> {
  if (!model || model === 'auto') return {}
  if ((tiers as readonly string[]).includes(model)) return { tier: model as Tier }
  if (!/^[a-z]+:\S+$/.test(model)) {
    throw new ValidationError('model must be auto, a tier or provider:model', {
      code: 'model_invalid',
    })
  }
  return { model }
}
