import { asAppError, clientError } from '../client-error.ts'
import type { RequestContext } from '../gate/request-context.ts'
import { type GateDeps, startModelWork } from '../gate/start-model-work.ts'

/** The `chat` tool's name, description and schemas, as MCP clients see them. */
export const chatToolDefinition = {
  name: 'chat',
  title: 'Chat with Outpost',
  description:
    "Sends a message to Outpost's agent and returns its answer. Without conversation_id a new " +
    'conversation starts; pass the returned conversation_id to continue it.',
  inputSchema: {
    type: 'object' as const,
    properties: {
      message: { type: 'string', description: 'What to ask or say.' },
      conversation_id: { type: 'string', description: 'The conversation to continue.' },
      model: {
        type: 'string',
        description: 'A provider:model id, a tier name, or auto (the default).',
      },
    },
    required: ['message'],
  },
  outputSchema: {
    type: 'object' as const,
    properties: {
      answer: { type: 'string' },
      conversation_id: { type: 'string' },
      run_id: { type: 'string' },
    },
    required: ['answer', 'conversation_id', 'run_id'],
  },
}

/** The `chat` tool's outcome: the answer, or why there is none (a value, never thrown). */
export type ChatOutcome =
  | { ok: true; answer: string; conversationId: string; runId: string }
  | { ok: false; code: string; message: string }

/**
 * One chat turn for the MCP caller, through the gate like every surface (limits, guards and
 * the response cache apply), waiting for the run to end. A refusal or a failed turn is an
 * outcome with the error's code, for the tool's `isError` result.
 */
export async function mcpChat(
  gate: GateDeps,
  context: RequestContext,
  args: Record<string, unknown>,
): Promise<ChatOutcome> {
  const { message, conversation_id: conversationId, model } = args
  if (typeof message !== 'string') {
    return { ok: false, code: 'invalid_input', message: 'message: a string is required' }
  }
  for (const [name, value] of Object.entries({ conversation_id: conversationId, model })) {
    if (value !== undefined && typeof value !== 'string') {
      return { ok: false, code: 'invalid_input', message: `${name}: must be a string` }
    }
  }
  try {
    const sent = await startModelWork(gate, context, {
      kind: 'message',
      content: message,
      ...(typeof conversationId === 'string' ? { conversationId } : {}),
      ...(typeof model === 'string' ? { model } : {}),
    })
    let answer = ''
    for await (const { event } of sent.run.events) {
      if (event.type === 'error') return { ok: false, code: event.code, message: event.message }
      if (event.type === 'turn-end') answer = event.text
    }
    return { ok: true, answer, conversationId: sent.conversation.id, runId: sent.run.id }
  } catch (thrown) {
    const error = asAppError(thrown)
    if (error.status >= 500)
      gate.logger.error('mcp chat failed', { error: String(error.cause ?? error) })
    // What any surface's client may see: server errors say no more than "Internal server error".
    const shown = clientError(error)
    return { ok: false, code: shown.code, message: shown.message }
  }
}
