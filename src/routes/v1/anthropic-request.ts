import type { ChatMessage, ChatRequest, ContentPart } from '../../core/models/chat-model.ts'
import type { MessagesRequest } from './anthropic-schemas.ts'

type Blocks = Exclude<MessagesRequest['messages'][number]['content'], string>
type Block = Blocks[number]

/**
 * An Anthropic messages request as our `ChatRequest`: `system` becomes the first message,
 * `tool_result` blocks become tool messages (matched to their `tool_use` by id), and
 * `tool_use` blocks the assistant's tool calls.
 */
export function fromAnthropicRequest(body: MessagesRequest): ChatRequest {
  const messages: ChatMessage[] = []
  if (body.system) {
    const system =
      typeof body.system === 'string' ? body.system : body.system.map((b) => b.text).join('\n')
    if (system) messages.push({ role: 'system', content: system })
  }
  const toolNames = new Map<string, string>()
  for (const message of body.messages) {
    const blocks: Blocks =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : message.content
    if (message.role === 'assistant') {
      const toolCalls = blocks.flatMap((block) =>
        block.type === 'tool_use' ? [{ id: block.id, name: block.name, input: block.input }] : [],
      )
      for (const call of toolCalls) toolNames.set(call.id, call.name)
      const content = textOf(blocks)
      messages.push(
        toolCalls.length > 0
          ? { role: 'assistant', content, toolCalls }
          : { role: 'assistant', content },
      )
      continue
    }
    for (const block of blocks) {
      if (block.type !== 'tool_result') continue
      messages.push({
        role: 'tool',
        toolCallId: block.tool_use_id,
        toolName: toolNames.get(block.tool_use_id) ?? 'unknown',
        content: typeof block.content === 'string' ? block.content : textOf(block.content ?? []),
        ...(block.is_error && { isError: true }),
      })
    }
    const parts = blocks.flatMap(toPart)
    if (parts.length > 0) {
      const onlyText = parts.every((part) => part.type === 'text')
      messages.push({
        role: 'user',
        content: onlyText ? parts.map((p) => (p as { text: string }).text).join('') : parts,
      })
    }
  }
  const request: ChatRequest = { messages, maxTokens: body.max_tokens }
  if (body.tools?.length) {
    request.tools = body.tools.map((tool) => ({
      name: tool.name,
      description: tool.description ?? '',
      inputSchema: tool.input_schema,
    }))
  }
  const choice = body.tool_choice
  if (choice) {
    request.toolChoice =
      choice.type === 'tool'
        ? { name: choice.name }
        : choice.type === 'any'
          ? 'required'
          : choice.type
  }
  if (body.temperature !== undefined) request.temperature = body.temperature
  if (body.stop_sequences?.length) request.stop = body.stop_sequences
  // `disabled` is a budget of 0: it overrides a tier configured to think.
  if (body.thinking)
    request.thinkingBudget = body.thinking.type === 'enabled' ? body.thinking.budget_tokens : 0
  return request
}

function textOf(blocks: readonly Block[]): string {
  return blocks.map((block) => (block.type === 'text' ? block.text : '')).join('')
}

function toPart(block: Block): ContentPart[] {
  if (block.type === 'text') return [{ type: 'text', text: block.text }]
  if (block.type !== 'image') return []
  return block.source.type === 'base64'
    ? [{ type: 'image', mediaType: block.source.media_type, data: block.source.data }]
    : [{ type: 'image', url: block.source.url }]
}
