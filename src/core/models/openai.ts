import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  type OpenAI,
} from 'openai'
import type {
  ChatMessage,
  ChatModel,
  ChatRequest,
  FinishReason,
  ModelEvent,
  ToolCall,
} from './chat-model.ts'
import { ProviderError } from './provider-error.ts'
import { providerError, truncatedStream } from './provider-failure.ts'

type Params = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming
type WireMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam

/** Options of `createOpenAiModel`. */
export interface OpenAiModelOptions {
  /** A configured client (API key, base URL); build it with `maxRetries: 0`, fallback retries. */
  client: OpenAI
  model: string
  /** Name in `provider:model` ids: `openai`, or e.g. `local` for an OpenAI-compatible server. */
  provider?: string
  /** Ask for the usage chunk (`stream_options.include_usage`); default true. */
  includeUsage?: boolean
}

/**
 * A `ChatModel` over the OpenAI chat-completions API, which also serves every
 * OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, OpenRouter) through the client's
 * base URL. Streamed tool-call argument fragments are assembled by index and parsed.
 */
export function createOpenAiModel(options: OpenAiModelOptions): ChatModel {
  const { client, model } = options
  const provider = options.provider ?? 'openai'

  const fail = (error: unknown, signal: AbortSignal | undefined) => {
    if (error instanceof APIUserAbortError || signal?.aborted) {
      return providerError({ provider, model, kind: 'abort', cause: error })
    }
    if (error instanceof APIConnectionTimeoutError) {
      return providerError({ provider, model, kind: 'timeout', cause: error })
    }
    if (error instanceof APIConnectionError) {
      return providerError({ provider, model, kind: 'connection', cause: error })
    }
    if (error instanceof APIError) {
      const type = (error.error as { type?: string } | undefined)?.type
      return providerError({
        provider,
        model,
        kind: 'api',
        status: error.status,
        headers: error.headers,
        errorType: type,
        cause: error,
      })
    }
    return providerError({ provider, model, kind: 'other', cause: error })
  }

  async function* stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ModelEvent> {
    const params = toParams(model, request)
    try {
      if (request.stream === false) {
        const answer = await client.chat.completions.create(params, { signal })
        const choice = answer.choices[0]
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
      const chunks = await client.chat.completions.create(
        {
          ...params,
          stream: true,
          ...(options.includeUsage === false ? {} : { stream_options: { include_usage: true } }),
        },
        { signal },
      )
      const calls = new Map<number, { id: string; name: string; args: string }>()
      let finish: string | undefined
      let usage: ModelEvent | undefined
      for await (const chunk of chunks) {
        if (chunk.usage) usage = usageEvent(chunk.usage)
        const choice = chunk.choices[0]
        if (!choice) continue
        const delta = choice.delta
        if (delta?.content) yield { type: 'text-delta', text: delta.content }
        for (const part of delta?.tool_calls ?? []) {
          const call = calls.get(part.index) ?? { id: '', name: '', args: '' }
          if (part.id) call.id = part.id
          if (part.function?.name) call.name += part.function.name
          if (part.function?.arguments) call.args += part.function.arguments
          calls.set(part.index, call)
        }
        if (choice.finish_reason) finish = choice.finish_reason
      }
      if (signal?.aborted) throw fail(signal.reason, signal)
      if (finish === undefined) throw truncatedStream(provider, model)
      for (const [, call] of [...calls].sort(([a], [b]) => a - b)) {
        yield { type: 'tool-call', call: parsedCall(call.id, call.name, call.args) }
      }
      if (usage) yield usage
      yield { type: 'finish', reason: finishReason(finish) }
    } catch (error) {
      if (error instanceof ProviderError) throw error
      throw fail(error, signal)
    }
  }

  return { id: `${provider}:${model}`, provider, model, stream }
}

function toParams(model: string, request: ChatRequest): Params {
  const tools = request.tools?.map((tool) => ({
    type: 'function' as const,
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  }))
  const choice = request.toolChoice
  return {
    model,
    messages: request.messages.map(toWire),
    ...(tools && tools.length > 0 ? { tools } : {}),
    ...(choice && tools && tools.length > 0
      ? {
          tool_choice:
            typeof choice === 'string'
              ? choice
              : { type: 'function', function: { name: choice.name } },
        }
      : {}),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.stop === undefined ? {} : { stop: request.stop }),
  }
}

function toWire(message: ChatMessage): WireMessage {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content }
    case 'user':
      if (typeof message.content === 'string') return { role: 'user', content: message.content }
      return {
        role: 'user',
        content: message.content.map((part) =>
          part.type === 'text'
            ? { type: 'text' as const, text: part.text }
            : {
                type: 'image_url' as const,
                image_url: {
                  url: 'url' in part ? part.url : `data:${part.mediaType};base64,${part.data}`,
                },
              },
        ),
      }
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content === '' && message.toolCalls?.length ? null : message.content,
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: JSON.stringify(call.input ?? {}) },
              })),
            }
          : {}),
      }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content }
  }
}

function parsedCall(id: string, name: string, args: string): ToolCall {
  if (args.trim() === '') return { id, name, input: {} }
  try {
    return { id, name, input: JSON.parse(args) }
  } catch {
    return { id, name, input: args }
  }
}

function usageEvent(usage: { prompt_tokens: number; completion_tokens: number }): ModelEvent {
  return { type: 'usage', inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens }
}

function finishReason(reason: string | null | undefined): FinishReason {
  if (reason === 'stop') return 'stop'
  if (reason === 'length') return 'length'
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool-calls'
  if (reason === 'content_filter') return 'content-filter'
  return 'other'
}
