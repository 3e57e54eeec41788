import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  type OpenAI,
} from 'openai'
import type { ChatModel, ChatRequest, ModelEvent } from './chat-model.ts'
import { JoinedDeltas } from './joined-deltas.ts'
import type { CompleteChat, StreamChat } from './openai-direct-completion.ts'
import {
  finishReason,
  parsedCall,
  reasoningOf,
  toOpenAiParams,
  usageEvent,
} from './openai-request.ts'
import { ProviderError } from './provider-error.ts'
import { truncatedStream } from './provider-failure.ts'
import type { ProviderResponse } from './provider-fetch.ts'
import { sdkFailure } from './sdk-failure.ts'
import { type SseEvent, sseEventBatches } from './sse-events.ts'

/** Options of `createOpenAiModel`. */
export interface OpenAiModelOptions {
  /** A configured client (API key, base URL); build it with `maxRetries: 0`, fallback retries. */
  client: OpenAI
  model: string
  /** Name in `provider:model` ids: `openai`, or e.g. `local` for an OpenAI-compatible server. */
  provider?: string
  /** Ask for the usage chunk (`stream_options.include_usage`); default true. */
  includeUsage?: boolean
  /** Sends non-streaming calls (see `directChatCompletions`); the client's SDK when absent. */
  completeChat?: CompleteChat
  /** Sends streaming calls (see `directChatStream`); the client's SDK when absent. */
  streamChat?: StreamChat
}

/**
 * A `ChatModel` over the OpenAI chat-completions API, which also serves every
 * OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, OpenRouter) through the client's
 * base URL. Streamed tool-call argument fragments are assembled by index and parsed.
 */
export function createOpenAiModel(options: OpenAiModelOptions): ChatModel {
  const { client, model } = options
  const provider = options.provider ?? 'openai'

  const classes = { APIUserAbortError, APIConnectionTimeoutError, APIConnectionError, APIError }
  const errorType = (body: unknown) => (body as { type?: string } | undefined)?.type
  const fail = (error: unknown, signal: AbortSignal | undefined) =>
    sdkFailure(error, signal, { provider, model, classes, errorType })

  async function* stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ModelEvent> {
    const params = toOpenAiParams(model, request)
    try {
      if (request.stream === false) {
        const answer = options.completeChat
          ? await options.completeChat(params, signal)
          : await client.chat.completions.create(params, { signal })
        const choice = answer.choices[0]
        const reasoning = reasoningOf(choice?.message)
        if (reasoning) yield { type: 'thinking-delta', text: reasoning }
        const text = choice?.message.content ?? ''
        if (text !== '') yield { type: 'text-delta', text }
        for (const call of choice?.message.tool_calls ?? []) {
          if (call.type !== 'function') continue
          yield {
            type: 'tool-call',
            call: parsedCall(call.id, call.function.name, call.function.arguments),
          }
        }
        if (answer.usage) yield usageEvent(answer.usage)
        yield { type: 'finish', reason: finishReason(choice?.finish_reason) }
        return
      }
      // The request is sent (by `streamChat` or the SDK), an HTTP error turned into the SDK's
      // error classes; the body is read here, by hand (see `sseEventBatches`).
      const streamParams: OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming = {
        ...params,
        stream: true,
        ...(options.includeUsage === false ? {} : { stream_options: { include_usage: true } }),
      }
      const sent = options.streamChat
        ? await options.streamChat(streamParams, signal)
        : {
            response: await client.chat.completions.create(streamParams, { signal }).asResponse(),
            release: () => {},
          }
      try {
        const calls = new Map<number, { id: string; name: string; args: string }>()
        let finish: string | undefined
        let usage: ModelEvent | undefined
        let done = false
        // The body's events read in this loop, not through a generator of chunks: every layer
        // of async generators between the upstream and the client costs each chunk a few
        // promise turns. The deltas of one read go on as one event (see `JoinedDeltas`).
        const joined = new JoinedDeltas()
        for await (const batch of sent.response.body ? sseEventBatches(sent.response.body) : []) {
          try {
            for (const sse of batch) {
              // Read to the end after `[DONE]`: cancelling a body can cost the pooled connection.
              if (done) continue
              const chunk = parsedChunk(sse, sent.response)
              if (chunk === DONE) {
                done = true
                continue
              }
              if (chunk.usage) usage = usageEvent(chunk.usage)
              const choice = chunk.choices[0]
              if (!choice) continue
              const delta = choice.delta
              const reasoning = reasoningOf(delta)
              if (reasoning) joined.add({ type: 'thinking-delta', text: reasoning })
              if (delta?.content) joined.add({ type: 'text-delta', text: delta.content })
              for (const part of delta?.tool_calls ?? []) {
                const call = calls.get(part.index) ?? { id: '', name: '', args: '' }
                if (part.id) call.id = part.id
                if (part.function?.name) call.name += part.function.name
                if (part.function?.arguments) call.args += part.function.arguments
                calls.set(part.index, call)
              }
              if (choice.finish_reason) finish = choice.finish_reason
            }
          } catch (error) {
            // What the read brought before the failure still reaches the reader first.
            yield* joined.take()
            throw error
          }
          yield* joined.take()
        }
        if (signal?.aborted) throw fail(signal.reason, signal)
        if (finish === undefined) throw truncatedStream(provider, model)
        for (const [, call] of [...calls].sort(([a], [b]) => a - b)) {
          yield { type: 'tool-call', call: parsedCall(call.id, call.name, call.args) }
        }
        if (usage) yield usage
        yield { type: 'finish', reason: finishReason(finish) }
      } finally {
        sent.release()
      }
    } catch (error) {
      if (error instanceof ProviderError) throw error
      throw fail(error, signal)
    }
  }

  return { id: `${provider}:${model}`, provider, model, stream }
}

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk

/** What `parsedChunk` returns for the `[DONE]` that ends a stream. */
const DONE = Symbol('done')

/**
 * One event of a chat-completions stream, read as the SDK's `Stream` reads it: `[DONE]` ends
 * the stream; an `error` event or a chunk carrying `error` throws its `APIError`.
 */
function parsedChunk(sse: SseEvent, response: ProviderResponse): Chunk | typeof DONE {
  if (sse.data.startsWith('[DONE]')) return DONE
  const data = JSON.parse(sse.data)
  if (sse.event === 'error' || (sse.event === null && data?.error)) {
    throw new APIError(undefined, data.error, data.message, response.headers)
  }
  return data as Chunk
}
