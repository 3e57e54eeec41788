import type { AgentEvent } from '../agent/agent-event.ts'
import { AppError } from '../errors.ts'
import type { ModelEvent } from '../models/chat-model.ts'

/**
 * An answer's agent events (a gate stage's, such as a cached run) as the model events the
 * compatible endpoints render. Tool results and retries have no place in a stateless answer;
 * an `error` event fails the stream as an `AppError` with its code.
 */
export async function* modelEventsOf(
  events: AsyncIterable<AgentEvent>,
  onModel: (model: string) => void,
): AsyncGenerator<ModelEvent> {
  let calledTools = false
  for await (const event of events) {
    switch (event.type) {
      case 'thinking-delta':
        yield {
          type: 'thinking-delta',
          text: event.text,
          ...(event.signature === undefined ? {} : { signature: event.signature }),
        }
        break
      case 'text-delta':
        yield { type: 'text-delta', text: event.text }
        break
      case 'tool-call':
        calledTools = true
        yield { type: 'tool-call', call: { id: event.id, name: event.name, input: event.input } }
        break
      case 'usage':
        onModel(event.model)
        yield { type: 'usage', inputTokens: event.inputTokens, outputTokens: event.outputTokens }
        break
      case 'error':
        throw new AppError(event.code, event.message, { status: 502, expose: true })
      case 'turn-end':
        if (event.model) onModel(event.model)
        yield { type: 'finish', reason: calledTools ? 'tool-calls' : 'stop' }
        return
      case 'recall':
      case 'route':
      case 'retry':
      case 'tool-result':
      case 'guard':
      case 'approval-request':
      case 'approval':
        break
      default:
        event satisfies never
    }
  }
}
