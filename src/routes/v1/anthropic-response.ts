import type { CollectedCompletion } from '../../core/compat/collect-completion.ts'
import type { FinishReason, ModelEvent } from '../../core/models/chat-model.ts'

/** Anthropic's name for why the model stopped. */
export function anthropicStop(reason: FinishReason): 'end_turn' | 'max_tokens' | 'tool_use' {
  if (reason === 'tool-calls') return 'tool_use'
  if (reason === 'length') return 'max_tokens'
  return 'end_turn'
}

/** A finished completion as Anthropic's `message` object. */
export function messageView(id: string, model: string, answer: CollectedCompletion) {
  return {
    id,
    type: 'message' as const,
    role: 'assistant' as const,
    model,
    content: [
      ...(answer.thinking || answer.signature
        ? [
            {
              type: 'thinking' as const,
              thinking: answer.thinking,
              signature: answer.signature ?? '',
            },
          ]
        : []),
      ...(answer.text ? [{ type: 'text' as const, text: answer.text }] : []),
      ...answer.toolCalls.map((call) => ({
        type: 'tool_use' as const,
        id: call.id,
        name: call.name,
        input: call.input ?? {},
      })),
    ],
    stop_reason: anthropicStop(answer.finish),
    stop_sequence: null,
    usage: { input_tokens: answer.usage.inputTokens, output_tokens: answer.usage.outputTokens },
  }
}

/** One server-sent event of Anthropic's stream: its name and its JSON data. */
export interface AnthropicFrame {
  event: string
  data: Record<string, unknown>
}

/**
 * Turns model events into Anthropic's stream: `message_start`, then per content block
 * `content_block_start` / `content_block_delta`s / `content_block_stop` (reasoning is a
 * `thinking` block of `thinking_delta`s ended by a `signature_delta`; text deltas share one
 * text block; each tool call is a `tool_use` block with its input as one `input_json_delta`),
 * then `message_delta` with the stop reason and usage, then `message_stop`.
 */
export function createAnthropicFramer(options: { id: string; model: () => string }) {
  let index = -1
  let open: 'text' | 'thinking' | undefined
  let usage = { input_tokens: 0, output_tokens: 0 }
  const closeText = (): AnthropicFrame[] => {
    if (!open) return []
    open = undefined
    return [{ event: 'content_block_stop', data: { type: 'content_block_stop', index } }]
  }
  /** Closes the open block unless it is of `kind`, then opens one of `kind` if none is. */
  const ensure = (kind: 'text' | 'thinking'): AnthropicFrame[] => {
    if (open === kind) return []
    const frames = closeText()
    open = kind
    index += 1
    const block = kind === 'text' ? { type: 'text', text: '' } : emptyThinking
    frames.push({
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: block },
    })
    return frames
  }
  return {
    start: (): AnthropicFrame => ({
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          id: options.id,
          type: 'message',
          role: 'assistant',
          model: options.model(),
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      },
    }),
    event(event: ModelEvent): AnthropicFrame[] {
      switch (event.type) {
        case 'thinking-delta': {
          const frames = ensure('thinking')
          if (event.text !== '')
            frames.push(blockDelta(index, { type: 'thinking_delta', thinking: event.text }))
          if (event.signature !== undefined)
            frames.push(blockDelta(index, { type: 'signature_delta', signature: event.signature }))
          return frames
        }
        case 'text-delta': {
          const frames = ensure('text')
          frames.push({
            event: 'content_block_delta',
            data: {
              type: 'content_block_delta',
              index,
              delta: { type: 'text_delta', text: event.text },
            },
          })
          return frames
        }
        case 'tool-call': {
          const frames = closeText()
          index += 1
          const { id, name, input } = event.call
          frames.push(
            {
              event: 'content_block_start',
              data: {
                type: 'content_block_start',
                index,
                content_block: { type: 'tool_use', id, name, input: {} },
              },
            },
            {
              event: 'content_block_delta',
              data: {
                type: 'content_block_delta',
                index,
                delta: { type: 'input_json_delta', partial_json: JSON.stringify(input ?? {}) },
              },
            },
            { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
          )
          return frames
        }
        case 'usage':
          usage = { input_tokens: event.inputTokens, output_tokens: event.outputTokens }
          return []
        case 'finish':
          return [
            ...closeText(),
            {
              event: 'message_delta',
              data: {
                type: 'message_delta',
                delta: { stop_reason: anthropicStop(event.reason), stop_sequence: null },
                usage,
              },
            },
            { event: 'message_stop', data: { type: 'message_stop' } },
          ]
        default:
          return event satisfies never
      }
    },
  }
}

const emptyThinking = { type: 'thinking', thinking: '', signature: '' }

function blockDelta(index: number, delta: Record<string, unknown>): AnthropicFrame {
  return { event: 'content_block_delta', data: { type: 'content_block_delta', index, delta } }
}
