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
 * Turns model events into `chat.completion.chunk` JSON texts, as OpenAI streams them: a first
 * chunk with the role, reasoning as `reasoning_content` deltas (as OpenAI-compatible servers
 * send it), content deltas, each tool call whole (with its index), a last chunk
 * with `finish_reason`, and with `include_usage` a final chunk with empty `choices` and the
 * usage (every earlier chunk then carries `usage: null`). Each chunk is the text
 * `JSON.stringify` would give for the object (same keys, same order), built from a prefix and
 * suffix made once per model: only the delta is serialised per chunk, which is most of a
 * stream's encoding cost on a busy gateway.
 */
export function createChunker(options: {
  id: string
  created: number
  model: () => string
  includeUsage: boolean
}) {
  let toolIndex = 0
  let usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }
  let head = ''
  let headModel: string | undefined
  const tail = `,"logprobs":null,"finish_reason":null}]${options.includeUsage ? ',"usage":null' : ''}}`
  // Everything before `choices`, for the model answering now (a fallback can change it).
  const before = () => {
    const model = options.model()
    if (model !== headModel) {
      headModel = model
      head = `{"id":${JSON.stringify(options.id)},"object":"chat.completion.chunk","created":${options.created},"model":${JSON.stringify(model)},"system_fingerprint":null,"choices":`
    }
    return head
  }
  const chunk = (delta: string) => `${before()}[{"index":0,"delta":${delta}${tail}`
  return {
    start: () => chunk('{"role":"assistant","content":"","refusal":null}'),
    /** The chunk texts for one model event (none for usage, which is kept for the end). */
    event(event: ModelEvent): string[] {
      switch (event.type) {
        case 'thinking-delta':
          // A signature alone has no place in this dialect.
          return event.text === ''
            ? []
            : [chunk(`{"reasoning_content":${JSON.stringify(event.text)}}`)]
        case 'text-delta':
          return [chunk(`{"content":${JSON.stringify(event.text)}}`)]
        case 'tool-call':
          return [
            chunk(
              JSON.stringify({ tool_calls: [{ index: toolIndex++, ...toolCallView(event.call) }] }),
            ),
          ]
        case 'usage':
          usage = {
            prompt_tokens: event.inputTokens,
            completion_tokens: event.outputTokens,
            total_tokens: event.inputTokens + event.outputTokens,
          }
          return []
        case 'finish': {
          const finish = openAiFinish(event.reason)
          const last = `${before()}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"${finish}"}]${options.includeUsage ? ',"usage":null' : ''}}`
          if (!options.includeUsage) return [last]
          return [last, `${before()}[],"usage":${JSON.stringify(usage)}}`]
        }
        default:
          return event satisfies never
      }
    },
  }
}
