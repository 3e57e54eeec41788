import type { AgentEvent } from '../agent/agent-event.ts'
import { guardEvent } from '../agent/guard-event.ts'
import { precedeWith } from '../agent/precede-with.ts'
import { type Recalled, runTurn, type TurnInput } from '../agent/run-turn.ts'
import type { Conversation } from '../domain/history-records.ts'
import { memoryContext } from '../facts/memory-context.ts'
import { type RecalledMemory, recallMemories } from '../facts/recall-memories.ts'
import { rememberFacts } from '../facts/remember-facts.ts'
import { screenMemories } from '../guards/injection/screen-memories.ts'
import type { ImageUpload } from '../images/image-upload.ts'
import type { ChatMessage } from '../models/chat-model.ts'
import { modelChoice } from '../models/model-choice.ts'
import { startConversationRun } from '../runs/start-conversation-run.ts'
import type { StartedRun } from '../runs/start-run.ts'
import type { Logger } from '../telemetry/logger.ts'
import type { ChatDeps } from './chat-deps.ts'
import { type GuardMark, userInputGuardEvent, userTextForModel } from './guard-mark.ts'
import { recordTurn } from './record-turn.ts'
import { systemPrompt } from './system-prompt.ts'

/** A question to answer in a conversation, with the messages that came before it. */
export interface AnswerRequest {
  ownerId: string
  conversation: Conversation
  /** The user's message being answered (already stored in history). */
  question: string
  /** The injection guard's mark on it: the model gets it wrapped, the run starts with `guard`. */
  guard?: GuardMark
  /** Images attached to the question: with any, the model sees text and images together. */
  images?: readonly ImageUpload[]
  /** Earlier messages, oldest first, as model context. */
  context: ChatMessage[]
  /** A `provider:model` id, a tier name, or `auto`. */
  model?: string
  /** Events that answer instead of the model (a gate stage's answer, such as a cache hit). */
  answer?: AsyncIterable<AgentEvent>
  /** Whether conversation pages should show the run live. Default true. */
  live?: boolean
}

/**
 * Starts a conversation run answering `question`: recall, routing, the agent loop, the run
 * log and the write-back to history, all in the background (`deps.defer`).
 * Shared by `sendMessage` and `regenerate`, which differ only in what they store first.
 */
export async function startAnswer(deps: ChatDeps, request: AnswerRequest): Promise<StartedRun> {
  const { history } = deps
  const now = deps.now ?? Date.now
  const { ownerId, conversation, question } = request
  const choice = modelChoice(request.model)
  const images = request.images ?? []
  const turnInput: TurnInput = {
    message:
      images.length === 0
        ? userTextForModel(question, request.guard)
        : [
            { type: 'text', text: userTextForModel(question, request.guard) },
            ...images.map((image) => ({
              type: 'image' as const,
              mediaType: image.mediaType,
              data: image.data,
            })),
          ],
    history: request.context,
    conversationId: conversation.id,
    ...choice,
  }
  const recall =
    (logger: Logger) =>
    async (turn: TurnInput, signal?: AbortSignal): Promise<Recalled> => {
      const found = await recallMemories(
        { semantic: deps.semantic, memoryTtlMs: deps.memoryTtlMs, now },
        { ownerId, conversationId: conversation.id, question },
        signal,
      ).catch((error: unknown) => {
        // Recall improves an answer; a vector store hiccup must not prevent one.
        logger.warn('recall failed', { error: String(error) })
        return [] as RecalledMemory[]
      })
      // Recall hands over data; the guard screens it; only then is it formatted for the model.
      const guard = deps.turn.guard
      const screened = guard
        ? screenMemories(
            guard,
            found.map((memory) => memory.text),
          )
        : { memories: found.map((memory) => memory.text), verdicts: [] }
      // screenMemories keeps the order and leaves out only what it blocks.
      const kept = guard ? found.filter((_, i) => screened.verdicts[i]?.verdict !== 'block') : found
      const events: AgentEvent[] = [
        ...(kept.length > 0 ? [{ type: 'recall' as const, memories: kept }] : []),
        ...screened.verdicts.flatMap((verdict) =>
          verdict.verdict === 'allow'
            ? []
            : [guardEvent('recalled-memory', { ...verdict, verdict: verdict.verdict })],
        ),
      ]
      return {
        messages: turn.history ?? [],
        preface: memoryContext(screened.memories.map((text) => ({ text }))),
        events,
      }
    }

  const run = await startConversationRun(
    deps,
    { ownerId, conversationId: conversation.id, live: request.live },
    (runId, signal) => {
      // The run's logs carry its id, and the request's (a child of the request's logger).
      const logger = deps.logger.child({ run_id: runId })
      return recordTurn(
        {
          history,
          ownerId,
          conversationId: conversation.id,
          runId,
          now,
          logger,
          onAnswer: () =>
            deps.defer(
              rememberFacts(
                { ...deps, now, turn: { ...deps.turn, system: deps.turn.system ?? systemPrompt } },
                { ownerId, conversationId: conversation.id },
                deps.factTiming,
              ).catch((error: unknown) => {
                logger.warn('remembering facts failed', { error: String(error) })
              }),
            ),
        },
        // A flagged question leads the run with its `guard` event; an answer from elsewhere
        // (a gate stage's) is recorded like the model's own.
        precedeWith(
          request.guard ? [userInputGuardEvent(request.guard)] : [],
          request.answer ??
            runTurn(
              {
                ...deps.turn,
                system: deps.turn.system ?? systemPrompt,
                recall: recall(logger),
                ...(deps.approvals ? { approver: deps.approvals.approver(runId) } : {}),
              },
              turnInput,
              signal,
            ),
        ),
      )
    },
  )
  return run
}
