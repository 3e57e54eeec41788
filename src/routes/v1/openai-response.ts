import type { CollectedCompletion } from '../../core/compat/collect-completion.ts'
import type { FinishReason, ModelEvent, ToolCall } from '../../core/models/chat-model.ts'

/** OpenAI's name for why the model stopped. */
export function openAiFinish(
  reason: FinishReason,
): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  if (reason === 'tool-calls') return 'tool_calls'
  if (reason === 'length') return 'length'
  if (reason === 'content-filter') return 'content_filter'
  return 'stop'
}

function toolCallView(call: ToolCall) {
  const args = typeof call.input === 'string' ? call.input : JSON.stringify(call.input ?? {})
  return { id: call.id, type: 'function' as const, function: { name: call.name, arguments: args } }
}

/** A finished completion as OpenAI's `chat.completion` object. */
export function chatCompletionView(
  id: string,
  created: number,
  model: string,
  answer: CollectedCompletion,
) {
  const { inputTokens, outputTokens } = answer.usage
  return {
    id,
    object: 'chat.completion' as const,
    created,
    model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: answer.text === '' && answer.toolCalls.length > 0 ? null : answer.text,
          refusal: null,
          // Where vLLM, llama.cpp and DeepSeek put reasoning; OpenAI's own API has no field.
          ...(answer.thinking !== '' && { reasoning_content: answer.thinking }),
          ...(answer.toolCalls.length > 0 && { tool_calls: answer.toolCalls.map(toolCallView) }),
        },
        finish_reason: openAiFinish(answer.finish),
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: inputTokens,
      completion_tokens: outputTokens,
      total_tokens: inputTokens + outputTokens,
    },
  }
}

/**
 * Turns model events into `chat.completion.chunk` objects, as OpenAI streams them: a first
 * chunk with the role, reasoning as `reasoning_content` deltas (as OpenAI-compatible servers
 * send it), content deltas, each tool call whole (with its index), a last chunk
 * with `finish_reason`, and with `include_usage` a final chunk with empty `choices` and the
 * usage (every earlier chunk then carries `usage: null`).
 */
export function createChunker(options: {
  id: string
  created: number
  model: () => string
  includeUsage: boolean
}) {
  let toolIndex = 0
  let usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }
  const chunk = (
    delta: Record<string, unknown>,
    finish: string | null = null,
  ): Record<string, unknown> => ({
    id: options.id,
    object: 'chat.completion.chunk',
    created: options.created,
    model: options.model(),
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(options.includeUsage && { usage: null }),
  })
  return {
    start: () => chunk({ role: 'assistant', content: '', refusal: null }),
    /** The chunks for one model event (none for usage, which is kept for the end). */
    event(event: ModelEvent): Record<string, unknown>[] {
      switch (event.type) {
        case 'thinking-delta':
          // A signature alone has no place in this dialect.
          return event.text === '' ? [] : [chunk({ reasoning_content: event.text })]
        case 'text-delta':
          return [chunk({ content: event.text })]
        case 'tool-call':
          return [chunk({ tool_calls: [{ index: toolIndex++, ...toolCallView(event.call) }] })]
        case 'usage':
          usage = {
            prompt_tokens: event.inputTokens,
            completion_tokens: event.outputTokens,
            total_tokens: event.inputTokens + event.outputTokens,
          }
          return []
        case 'finish': {
          const last = chunk({}, openAiFinish(event.reason))
          if (!options.includeUsage) return [last]
          return [
            last,
            {
              id: options.id,
              object: 'chat.completion.chunk',
              created: options.created,
              model: options.model(),
              system_fingerprint: null,
              choices: [],
              usage,
            },
          ]
        }
        default:
          return event satisfies never
      }
    },
  }
}
