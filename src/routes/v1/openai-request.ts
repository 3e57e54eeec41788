import { ValidationError } from '../../core/errors.ts'
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  ToolChoice,
} from '../../core/models/chat-model.ts'
import { requireShallowJson } from '../../core/text/json-depth.ts'
import type { ChatCompletionRequest } from './openai-schemas.ts'

type Body = ChatCompletionRequest
type TextContent = string | { text: string }[]

/**
 * An OpenAI chat request as our `ChatRequest`. Tool results are matched to the calls that
 * asked for them by id; an image is a data URL (inline) or any other URL.
 */
export function fromOpenAiRequest(body: Body): ChatRequest {
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw new ValidationError('Only n=1 is supported', {
      code: 'unsupported_value',
      details: [{ path: 'n', message: 'only 1 is supported' }],
    })
  }
  const toolNames = new Map<string, string>()
  const messages: ChatMessage[] = body.messages.map((message, index): ChatMessage => {
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: joinText(message.content as TextContent) }
      case 'user':
        return {
          role: 'user',
          content:
            typeof message.content === 'string' ? message.content : message.content.map(toPart),
        }
      case 'assistant': {
        const toolCalls = (message.tool_calls ?? []).map((call) => {
          toolNames.set(call.id, call.function.name)
          return {
            id: call.id,
            name: call.function.name,
            input: parseArguments(call.function.arguments),
          }
        })
        const content = joinText((message.content ?? '') as TextContent)
        return toolCalls.length > 0
          ? { role: 'assistant', content, toolCalls }
          : { role: 'assistant', content }
      }
      default: {
        const toolName = toolNames.get(message.tool_call_id)
        if (!toolName) {
          throw new ValidationError('A tool message must answer an earlier tool call', {
            details: [{ path: `messages.${index}.tool_call_id`, message: 'no such tool call' }],
          })
        }
        return {
          role: 'tool',
          toolCallId: message.tool_call_id,
          toolName,
          content: joinText(message.content as TextContent),
        }
      }
    }
  })
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined
  const request: ChatRequest = { messages }
  if (body.tools?.length) {
    request.tools = body.tools.map((tool) => ({
      name: tool.function.name,
      description: tool.function.description ?? '',
      inputSchema: tool.function.parameters ?? { type: 'object', properties: {} },
    }))
  }
  if (body.tool_choice) request.toolChoice = toolChoice(body.tool_choice)
  if (body.temperature !== undefined && body.temperature !== null)
    request.temperature = body.temperature
  if (maxTokens !== undefined) request.maxTokens = maxTokens
  if (body.stop) request.stop = typeof body.stop === 'string' ? [body.stop] : body.stop
  return request
}

function toolChoice(choice: NonNullable<Body['tool_choice']>): ToolChoice {
  return typeof choice === 'string' ? choice : { name: choice.function.name }
}

function joinText(content: TextContent): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('')
}

const dataUrl = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s

function toPart(
  part: { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } },
): ContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text }
  const inline = dataUrl.exec(part.image_url.url)
  return inline
    ? { type: 'image', mediaType: inline[1] as string, data: inline[2] as string }
    : { type: 'image', url: part.image_url.url }
}

// Models sometimes send arguments that are not JSON; they go on as text, as the client sent.
function parseArguments(text: string): unknown {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return text
  }
  return requireShallowJson(parsed, 'tool call arguments')
}
