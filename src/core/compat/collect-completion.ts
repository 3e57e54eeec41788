import type { FinishReason, ModelEvent, TokenUsage, ToolCall } from '../models/chat-model.ts'

/** A whole answer, for the non-streaming form of the compatible endpoints. */
export interface CollectedCompletion {
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
    text: '',
    toolCalls: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    finish: 'stop',
  }
  for await (const event of events) {
    if (event.type === 'text-delta') out.text += event.text
    else if (event.type === 'tool-call') out.toolCalls.push(event.call)
    else if (event.type === 'usage') {
      out.usage = { inputTokens: event.inputTokens, outputTokens: event.outputTokens }
    } else out.finish = event.reason
  }
  return out
}
