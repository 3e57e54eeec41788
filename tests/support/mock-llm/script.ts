import {
  firstPersonFacts,
  parseFactExtractionRequest,
} from '../../../src/core/text/fact-extraction-protocol.ts'
/** A tool call the mock model makes; `arguments` is sent as streamed JSON text. */
export interface MockToolCall {
  id?: string
  name: string
  arguments: Record<string, unknown>
}

/** Timing and accounting shared by every scripted reply. */
export interface MockReplyTiming {
  /** Wait before the first byte (headers included). */
  firstByteDelayMs?: number
  /** Wait between streamed chunks. */
  chunkDelayMs?: number
  /** Token counts to report instead of the estimate. */
  usage?: { input: number; output: number }
  /**
   * Reasoning sent before the answer, in the protocol's own form: an Anthropic `thinking`
   * block (thinking_delta chunks, then a signature_delta), or OpenAI-compatible
   * `reasoning_content` deltas as vLLM, llama.cpp and DeepSeek stream them.
   */
  thinking?: string
}

/**
 * One scripted answer. `cut` sends `afterChunks` text chunks and then destroys the socket
 * (for a non-streaming request, it destroys the socket before answering); `malformed` sends
 * `afterChunks` chunks and then a data line that is not JSON; `stream-error` sends
 * `afterChunks` chunks and then the provider's in-stream error frame (Anthropic's
 * `event: error`, OpenAI's `data: {"error": ...}`), as real APIs do when they overload mid-answer.
 */
export type MockReply = MockReplyTiming &
  (
    | { kind: 'text'; text: string }
    | { kind: 'tool-calls'; calls: MockToolCall[]; text?: string }
    | { kind: 'error'; status: number; retryAfterSeconds?: number; message?: string }
    | { kind: 'cut'; text: string; afterChunks: number }
    | { kind: 'malformed'; text: string; afterChunks: number }
    | { kind: 'stream-error'; text: string; afterChunks: number; errorType?: string }
  )

/** A request as the mock received it, for assertions on what an adapter sent. */
export interface RecordedRequest {
  protocol: 'openai' | 'anthropic'
  method: string
  path: string
  headers: Record<string, string>
  body: unknown
  model: string | undefined
  /**
   * What the mock answered with (`default` when nothing was scripted). `facts`: a request to
   * extract facts (memory's background call), answered from the facts script or by rule.
   */
  reply: MockReply['kind'] | 'default' | 'facts' | 'models' | 'embeddings'
}

/** The normalized gist of a chat request that the default reply is derived from. */
export interface PromptGist {
  lastUserText: string
  lastToolResult: string | undefined
  inputChars: number
  /** Images (any form) in the last user message. */
  lastUserImages?: number
}

/** Splits text into word-sized chunks, keeping whitespace so the chunks join back exactly. */
export function chunkText(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text])
}

/** What in a prompt asks the default reply to reason first (any protocol). */
export const thinkMarker = '[think]'

/**
 * The deterministic answer given when no reply is scripted. It reasons first when asked: by
 * `thinkMarker` in the last user message, or (Anthropic) by the request's `thinking` param.
 * An image in the last user message is described by its count, so a test can tell that the
 * image reached the model.
 */
export function defaultReply(
  gist: PromptGist,
  model: string | undefined,
  options: { think?: boolean } = {},
): MockReply {
  if (gist.lastToolResult !== undefined) {
    return { kind: 'text', text: `The tool returned ${gist.lastToolResult}.` }
  }
  const facts = factExtractionReply(gist)
  if (facts) return facts
  const words = gist.lastUserText.trim().split(/\s+/).filter(Boolean)
  const excerpt = words.slice(0, 12).join(' ')
  const images = gist.lastUserImages ?? 0
  const seen = images > 0 ? ` I see ${images} image${images === 1 ? '' : 's'}.` : ''
  const think = options.think || gist.lastUserText.includes(thinkMarker)
  return {
    kind: 'text',
    text: `Mock ${model ?? 'model'} reply to "${excerpt}" (${words.length} words).${seen}`,
    ...(think
      ? {
          thinking: `Mock reasoning: the question has ${words.length} words, so I answer it plainly.`,
        }
      : {}),
  }
}

/**
 * The reply to a fact-extraction request (memory's background call after a turn): facts by
 * rule from exactly the user turns it was given. Such requests arrive on their own schedule
 * (after a debounce), so they never take a reply scripted for a test's next turn.
 */
export function factExtractionReply(gist: PromptGist): MockReply | undefined {
  const turns = parseFactExtractionRequest(gist.lastUserText)
  return turns
    ? { kind: 'text', text: JSON.stringify({ facts: firstPersonFacts(turns) }) }
    : undefined
}

/** A rough token estimate (4 characters per token), never below 1. */
export function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4))
}

/** Replies waiting to be sent: per model first, then the shared queue. */
export class ReplyQueue {
  readonly #byModel = new Map<string, MockReply[]>()
  readonly #shared: MockReply[] = []

  push(replies: readonly MockReply[], model?: string): void {
    if (model === undefined) {
      this.#shared.push(...replies)
      return
    }
    const queue = this.#byModel.get(model) ?? []
    queue.push(...replies)
    this.#byModel.set(model, queue)
  }

  take(model: string | undefined): MockReply | undefined {
    const own = model === undefined ? undefined : this.#byModel.get(model)
    if (own && own.length > 0) return own.shift()
    return this.#shared.shift()
  }

  clear(): void {
    this.#byModel.clear()
    this.#shared.length = 0
  }

  get pending(): number {
    let count = this.#shared.length
    for (const queue of this.#byModel.values()) count += queue.length
    return count
  }
}
