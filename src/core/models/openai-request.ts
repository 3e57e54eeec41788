import type { OpenAI } from 'openai'
import type { ChatMessage, ChatRequest, FinishReason, ModelEvent, ToolCall } from './chat-model.ts'

type Params = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming
type WireMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam

/** Our request in the chat-completions wire format (tools, tool choice, images, options). */
export function toOpenAiParams(model: string, request: ChatRequest): Params {
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

/** A tool call with its JSON arguments parsed; unparseable ones stay a string for validation to reject. */
export function parsedCall(id: string, name: string, args: string): ToolCall {
  if (args.trim() === '') return { id, name, input: {} }
  try {
    return { id, name, input: JSON.parse(args) }
  } catch {
    return { id, name, input: args }
  }
}

/** The `usage` event from a chat-completions usage object. */
export function usageEvent(usage: {
  prompt_tokens: number
  completion_tokens: number
}): ModelEvent {
  return { type: 'usage', inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens }
}

/** Our finish reason for a chat-completions `finish_reason`. */
export function finishReason(reason: string | null | undefined): FinishReason {
  if (reason === 'stop') return 'stop'
  if (reason === 'length') return 'length'
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool-calls'
  if (reason === 'content_filter') return 'content-filter'
  return 'other'
}

/**
 * The reasoning an OpenAI-compatible server sent beside the answer, which the OpenAI types do
 * not know: `reasoning_content` (DeepSeek, vLLM, llama.cpp) or `reasoning` (OpenRouter, newer
 * vLLM). Reasoning is never part of the answer text.
 */
export function reasoningOf(part: object | null | undefined): string | undefined {
  const extra = part as { reasoning_content?: unknown; reasoning?: unknown } | null | undefined
  const text = extra?.reasoning_content ?? extra?.reasoning
  return typeof text === 'string' && text !== '' ? text : undefined
}
