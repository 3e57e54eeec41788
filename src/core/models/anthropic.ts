import {
  type Anthropic,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk'
import type { AnthropicClient } from './anthropic-client.ts'
import {
  cacheTokens,
  finishReason,
  parse,
  toAnthropicParams,
  usageEvent,
} from './anthropic-request.ts'
import type { ChatModel, ChatRequest, ModelEvent } from './chat-model.ts'
import { JoinedDeltas } from './joined-deltas.ts'
import { ProviderError } from './provider-error.ts'
import { truncatedStream } from './provider-failure.ts'
import { sdkFailure } from './sdk-failure.ts'
import { sseEventBatches } from './sse-events.ts'

/** Options of `createAnthropicModel`. */
export interface AnthropicModelOptions {
  /** A configured client; build it with `maxRetries: 0`, fallback does the retrying. */
  client: AnthropicClient
  model: string
  /** Anthropic requires a limit; used when the request sets none. Default 4096. */
  defaultMaxTokens?: number
}

/**
 * A `ChatModel` over the Anthropic messages API. System messages become the `system`
 * parameter; tool results become `tool_result` blocks in a user turn, merged with adjacent
 * user content because the API wants strictly alternating roles.
 */
export function createAnthropicModel(options: AnthropicModelOptions): ChatModel {
  const { client, model } = options
  const provider = 'anthropic'

  const classes = { APIUserAbortError, APIConnectionTimeoutError, APIConnectionError, APIError }
  // Anthropic nests the type (`{ type: 'error', error: { type } }`); some proxies do not.
  const errorType = (body: unknown) => {
    const b = body as { error?: { type?: string }; type?: string } | undefined
    return b?.error?.type ?? b?.type
  }
  const fail = (error: unknown, signal: AbortSignal | undefined) =>
    sdkFailure(error, signal, { provider, model, classes, errorType })

  async function* stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ModelEvent> {
    const params = toAnthropicParams(model, request, options.defaultMaxTokens ?? 4096)
    try {
      if (request.stream === false) {
        const answer = await client.messages.create(params, { signal })
        for (const block of answer.content) {
          if (block.type === 'thinking') {
            yield { type: 'thinking-delta', text: block.thinking }
            yield { type: 'thinking-delta', text: '', signature: block.signature }
          }
          if (block.type === 'text' && block.text !== '')
            yield { type: 'text-delta', text: block.text }
          if (block.type === 'tool_use') {
            yield {
              type: 'tool-call',
              call: { id: block.id, name: block.name, input: block.input },
            }
          }
        }
        yield usageEvent(
          answer.usage.input_tokens + cacheTokens(answer.usage),
          answer.usage.output_tokens,
        )
        yield { type: 'finish', reason: finishReason(answer.stop_reason) }
        return
      }
      // The SDK sends the request and turns an HTTP error into its error classes; the body
      // is read here, by hand (see `streamEvents`).
      const response = await client.messages
        .create({ ...params, stream: true }, { signal })
        .asResponse()
      const events = streamEvents(response)
      const tools = new Map<number, { id: string; name: string; json: string }>()
      let inputTokens = 0
      let outputTokens = 0
      let stopReason: string | null = null
      let stopped = false
      // The deltas of one read go on as one event (see `JoinedDeltas`); an error event comes
      // after the events before it (see `streamEvents`).
      const joined = new JoinedDeltas()
      for await (const batch of events) {
        for (const event of batch) {
          switch (event.type) {
            case 'message_start':
              inputTokens = event.message.usage.input_tokens + cacheTokens(event.message.usage)
              outputTokens = event.message.usage.output_tokens
              break
            case 'content_block_start':
              if (event.content_block.type === 'tool_use') {
                const { id, name } = event.content_block
                tools.set(event.index, { id, name, json: '' })
              }
              break
            case 'content_block_delta':
              if (event.delta.type === 'text_delta')
                joined.add({ type: 'text-delta', text: event.delta.text })
              else if (event.delta.type === 'thinking_delta')
                joined.add({ type: 'thinking-delta', text: event.delta.thinking })
              else if (event.delta.type === 'signature_delta')
                joined.add({ type: 'thinking-delta', text: '', signature: event.delta.signature })
              else if (event.delta.type === 'input_json_delta') {
                const tool = tools.get(event.index)
                if (tool) tool.json += event.delta.partial_json
              }
              break
            case 'content_block_stop': {
              const tool = tools.get(event.index)
              if (tool)
                joined.add({
                  type: 'tool-call',
                  call: { id: tool.id, name: tool.name, input: parse(tool.json) },
                })
              break
            }
            case 'message_delta':
              stopReason = event.delta.stop_reason
              outputTokens = event.usage.output_tokens ?? outputTokens
              break
            case 'message_stop':
              stopped = true
              break
          }
        }
        yield* joined.take()
      }
      if (signal?.aborted) throw fail(signal.reason, signal)
      if (!stopped) throw truncatedStream(provider, model)
      yield usageEvent(inputTokens, outputTokens)
      yield { type: 'finish', reason: finishReason(stopReason) }
    } catch (error) {
      if (error instanceof ProviderError) throw error
      throw fail(error, signal)
    }
  }

  return { id: `${provider}:${model}`, provider, model, stream }
}

/**
 * The events of a messages stream, one batch per read of the body (see `sseEventBatches`),
 * read as the SDK's `Stream` reads them (`ping` and unnamed events skipped, an `error` event
 * throws its `APIError`, after the events before it), with a lean decoder instead of the SDK's.
 */
async function* streamEvents(response: Response): AsyncGenerator<Anthropic.MessageStreamEvent[]> {
  if (!response.body) return
  for await (const batch of sseEventBatches(response.body)) {
    const events: Anthropic.MessageStreamEvent[] = []
    for (const sse of batch) {
      if (sse.event === null || sse.event === 'ping' || sse.data === '') continue
      if (sse.event === 'error') {
        if (events.length > 0) yield events
        throw errorOf(sse.data, response)
      }
      events.push(JSON.parse(sse.data) as Anthropic.MessageStreamEvent)
    }
    if (events.length > 0) yield events
  }
}

/** The `APIError` of an `error` event's data, as the SDK makes it. */
function errorOf(data: string, response: Response): APIError {
  let body: unknown = data
  try {
    body = JSON.parse(data)
  } catch {
    // Not JSON: the text itself is the error body, as the SDK keeps it.
  }
  const type = (body as { error?: { type?: Anthropic.ErrorType } } | undefined)?.error?.type
  return new APIError(undefined, body as object, undefined, response.headers, type)
}
