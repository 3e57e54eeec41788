import type { FinishReason, ModelEvent, TokenUsage, ToolCall } from '../models/chat-model.ts'

/** A whole answer, for the non-streaming form of the compatible endpoints. */
export interface CollectedCompletion {
  /** The model's reasoning, apart from the answer; '' when it sent none. */
  thinking: string
  /** Anthropic's signature of that reasoning, when the model signed it. */
  signature?: string
  text: string
  toolCalls: ToolCall[]
  usage: TokenUsage
  finish: FinishReason
}

/** Reads a completion's events to the end. */
export async function collectCompletion(
  events: AsyncIterable<ModelEvent>,
): Promise<CollectedCompletion> {
  const out: CollectedCompletion = {
    thinking: '',
    text: '',
    toolCalls: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    finish: 'stop',
  }
  for await (const event of events) {
    if (event.type === 'thinking-delta') {
      out.thinking += event.text
      if (event.signature !== undefined) out.signature = event.signature
    } else if (event.type === 'text-delta') out.text += event.text
    else if (event.type === 'tool-call') out.toolCalls.push(event.call)
    else if (event.type === 'usage') {
      out.usage = { inputTokens: event.inputTokens, outputTokens: event.outputTokens }
    } else out.finish = event.reason
  }
  return out
}
