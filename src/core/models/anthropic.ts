import {
  type Anthropic,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk'
import type { ChatMessage, ChatModel, ChatRequest, FinishReason, ModelEvent } from './chat-model.ts'
import { ProviderError } from './provider-error.ts'
import { providerError, truncatedStream } from './provider-failure.ts'

type Params = Anthropic.MessageCreateParamsNonStreaming
type WireMessage = Anthropic.MessageParam
type WireBlock = Anthropic.ContentBlockParam

/** Options of `createAnthropicModel`. */
export interface AnthropicModelOptions {
  /** A configured client; build it with `maxRetries: 0`, fallback does the retrying. */
  client: Anthropic
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
      const body = error.error as { error?: { type?: string }; type?: string } | undefined
      const errorType = body?.error?.type ?? body?.type
      return providerError({
        provider,
        model,
        kind: 'api',
        status: error.status,
        headers: error.headers,
        errorType,
        cause: error,
      })
    }
    return providerError({ provider, model, kind: 'other', cause: error })
  }

  async function* stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ModelEvent> {
    const params = toParams(model, request, options.defaultMaxTokens ?? 4096)
    try {
      if (request.stream === false) {
        const answer = await client.messages.create(params, { signal })
        for (const block of answer.content) {
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
      const events = await client.messages.create({ ...params, stream: true }, { signal })
      const tools = new Map<number, { id: string; name: string; json: string }>()
      let inputTokens = 0
      let outputTokens = 0
      let stopReason: string | null = null
      let stopped = false
      for await (const event of events) {
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
              yield { type: 'text-delta', text: event.delta.text }
            else if (event.delta.type === 'input_json_delta') {
              const tool = tools.get(event.index)
              if (tool) tool.json += event.delta.partial_json
            }
            break
          case 'content_block_stop': {
            const tool = tools.get(event.index)
            if (tool)
              yield {
                type: 'tool-call',
                call: { id: tool.id, name: tool.name, input: parse(tool.json) },
              }
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

function toParams(model: string, request: ChatRequest, defaultMaxTokens: number): Params {
  const system = request.messages
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n\n')
  const tools = request.tools?.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.inputSchema as Anthropic.Tool.InputSchema,
  }))
  const choice = request.toolChoice
  const toolChoice: Anthropic.ToolChoice | undefined =
    choice === undefined
      ? undefined
      : choice === 'auto'
        ? { type: 'auto' }
        : choice === 'none'
          ? { type: 'none' }
          : choice === 'required'
            ? { type: 'any' }
            : { type: 'tool', name: choice.name }
  return {
    model,
    max_tokens: request.maxTokens ?? defaultMaxTokens,
    messages: toWire(request.messages),
    ...(system === '' ? {} : { system }),
    ...(tools && tools.length > 0 ? { tools } : {}),
    ...(toolChoice && tools && tools.length > 0 ? { tool_choice: toolChoice } : {}),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.stop === undefined ? {} : { stop_sequences: request.stop }),
  }
}

function toWire(messages: ChatMessage[]): WireMessage[] {
  const out: Array<{ role: 'user' | 'assistant'; content: WireBlock[] }> = []
  const push = (role: 'user' | 'assistant', blocks: WireBlock[]) => {
    const last = out.at(-1)
    if (last && last.role === role) last.content.push(...blocks)
    else out.push({ role, content: blocks })
  }
  for (const message of messages) {
    if (message.role === 'system') continue
    if (message.role === 'tool') {
      push('user', [
        {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          content: message.content,
          ...(message.isError ? { is_error: true } : {}),
        },
      ])
    } else if (message.role === 'user') {
      const parts =
        typeof message.content === 'string'
          ? [{ type: 'text' as const, text: message.content }]
          : message.content
      push(
        'user',
        parts.map((part): WireBlock => {
          if (part.type === 'text') return { type: 'text', text: part.text }
          if ('url' in part) return { type: 'image', source: { type: 'url', url: part.url } }
          const mediaType = part.mediaType as Anthropic.Base64ImageSource['media_type']
          return {
            type: 'image',
            source: { type: 'base64', media_type: mediaType, data: part.data },
          }
        }),
      )
    } else {
      const blocks: WireBlock[] =
        message.content === '' ? [] : [{ type: 'text', text: message.content }]
      for (const call of message.toolCalls ?? []) {
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input ?? {} })
      }
      push('assistant', blocks)
    }
  }
  return out
}

function parse(json: string): unknown {
  if (json.trim() === '') return {}
  try {
    return JSON.parse(json)
  } catch {
    return json
  }
}

function cacheTokens(usage: {
  cache_creation_input_tokens?: number | null
  cache_read_input_tokens?: number | null
}): number {
  return (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0)
}

function usageEvent(inputTokens: number, outputTokens: number): ModelEvent {
  return { type: 'usage', inputTokens, outputTokens }
}

function finishReason(reason: string | null): FinishReason {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'stop'
  if (reason === 'max_tokens') return 'length'
  if (reason === 'tool_use') return 'tool-calls'
  if (reason === 'refusal') return 'content-filter'
  return 'other'
}
