import type { Anthropic } from '@anthropic-ai/sdk'
import type { ChatMessage, ChatRequest, FinishReason, ModelEvent } from './chat-model.ts'

type Params = Anthropic.MessageCreateParamsNonStreaming
type WireMessage = Anthropic.MessageParam
type WireBlock = Anthropic.ContentBlockParam

/** The smallest thinking budget Anthropic accepts; a smaller setting leaves thinking off. */
export const minThinkingBudget = 1024

/** Our request in the messages wire format: `system` apart, tool results as user blocks. */
export function toAnthropicParams(
  model: string,
  request: ChatRequest,
  defaultMaxTokens: number,
): Params {
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
  // Extended thinking counts against max_tokens, which must stay above the budget, and the
  // API refuses a temperature other than 1 while thinking.
  const budget = request.thinkingBudget
  const thinking = budget !== undefined && budget >= minThinkingBudget
  const maxTokens = request.maxTokens ?? defaultMaxTokens
  return {
    model,
    max_tokens: thinking && maxTokens <= budget ? budget + maxTokens : maxTokens,
    ...(thinking ? { thinking: { type: 'enabled' as const, budget_tokens: budget } } : {}),
    messages: toWire(request.messages),
    ...(system === '' ? {} : { system }),
    ...(tools && tools.length > 0 ? { tools } : {}),
    ...(toolChoice && tools && tools.length > 0 ? { tool_choice: toolChoice } : {}),
    ...(request.temperature === undefined || thinking ? {} : { temperature: request.temperature }),
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

/** Assembled `input_json_delta` text as a value; unparseable text stays a string. */
export function parse(json: string): unknown {
  if (json.trim() === '') return {}
  try {
    return JSON.parse(json)
  } catch {
    return json
  }
}

/** Cached input tokens, which Anthropic reports apart from `input_tokens`. */
export function cacheTokens(usage: {
  cache_creation_input_tokens?: number | null
  cache_read_input_tokens?: number | null
}): number {
  return (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0)
}

/** The `usage` event. */
export function usageEvent(inputTokens: number, outputTokens: number): ModelEvent {
  return { type: 'usage', inputTokens, outputTokens }
}

/** Our finish reason for an Anthropic `stop_reason`. */
export function finishReason(reason: string | null): FinishReason {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'stop'
  if (reason === 'max_tokens') return 'length'
  if (reason === 'tool_use') return 'tool-calls'
  if (reason === 'refusal') return 'content-filter'
  return 'other'
}
