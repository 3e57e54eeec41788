import type { ServerResponse } from 'node:http'
import {
  chunkText,
  estimateTokens,
  type MockReply,
  type MockToolCall,
  type PromptGist,
} from './script.ts'
import { pause, retryHeaders, SseWriter, sendJson } from './wire.ts'

interface AnthropicBlock {
  type: string
  text?: string
  source?: unknown
  content?: string | Array<{ type: string; text?: string }>
}
interface AnthropicMessage {
  role: string
  content: string | AnthropicBlock[]
}

/** What the default reply needs from an Anthropic messages request. */
export function anthropicGist(body: {
  messages?: AnthropicMessage[]
  system?: unknown
}): PromptGist {
  const messages = body.messages ?? []
  const blocks = (m: AnthropicMessage | undefined): AnthropicBlock[] =>
    typeof m?.content === 'string' ? [{ type: 'text', text: m.content }] : (m?.content ?? [])
  const last = messages.at(-1)
  const toolResult = blocks(last).find((b) => b.type === 'tool_result')
  const lastUser = [...messages]
    .reverse()
    .find((m) => m.role === 'user' && blocks(m).some((b) => b.type === 'text'))
  const resultText =
    toolResult === undefined
      ? undefined
      : typeof toolResult.content === 'string'
        ? toolResult.content
        : (toolResult.content ?? []).map((b) => b.text ?? '').join(' ')
  const lastUserMessage = [...messages].reverse().find((m) => m.role === 'user')
  return {
    lastUserImages: blocks(lastUserMessage).filter((b) => b.type === 'image').length,
    lastUserText: blocks(lastUser)
      .filter((b) => b.type === 'text')
      .map((b) => b.text ?? '')
      .join(' '),
    lastToolResult: resultText,
    inputChars: JSON.stringify(messages).length + JSON.stringify(body.system ?? '').length,
  }
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
}

/** Answers `POST /v1/messages` with a scripted or default reply, JSON or the real SSE events. */
export async function answerAnthropic(
  res: ServerResponse,
  body: { model?: string; stream?: boolean },
  gist: PromptGist,
  reply: MockReply,
  ids: () => string,
): Promise<void> {
  await pause(res, reply.firstByteDelayMs)
  const requestId = `req_${ids()}`
  if (reply.kind === 'error') {
    const type = errorTypes[reply.status] ?? 'api_error'
    const message = reply.message ?? `Mock error ${reply.status}`
    sendJson(
      res,
      reply.status,
      { type: 'error', error: { type, message }, request_id: requestId },
      {
        ...retryHeaders(reply.retryAfterSeconds),
        'request-id': requestId,
      },
    )
    return
  }
  const id = `msg_${ids()}`
  const model = body.model ?? 'mock'
  const text = reply.kind === 'tool-calls' ? (reply.text ?? '') : reply.text
  const calls = reply.kind === 'tool-calls' ? reply.calls.map((c) => withId(c, ids)) : []
  const chunks = chunkText(text)
  const argsChars = calls.reduce((n, c) => n + JSON.stringify(c.arguments).length, 0)
  const inputTokens = reply.usage?.input ?? estimateTokens(gist.inputChars)
  const outputTokens = reply.usage?.output ?? Math.max(1, chunks.length + estimateTokens(argsChars))
  const stopReason = calls.length > 0 ? 'tool_use' : 'end_turn'
  const thinking = reply.thinking
  const signature = thinking === undefined ? '' : mockSignature(thinking)
  const content = [
    ...(thinking === undefined ? [] : [{ type: 'thinking', thinking, signature }]),
    ...(text === '' ? [] : [{ type: 'text', text }]),
    ...calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments })),
  ]

  if (!body.stream) {
    if (reply.kind === 'cut' || reply.kind === 'malformed' || reply.kind === 'stream-error') {
      res.socket?.destroy()
      return
    }
    sendJson(
      res,
      200,
      {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: outputTokens },
      },
      { 'request-id': requestId },
    )
    return
  }

  const sse = new SseWriter(res, reply.chunkDelayMs)
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: 1 },
  }
  await sse.send({ type: 'message_start', message }, 'message_start')
  let index = 0
  if (thinking !== undefined) {
    const block = { type: 'thinking', thinking: '', signature: '' }
    await sse.send(
      { type: 'content_block_start', index, content_block: block },
      'content_block_start',
    )
    for (const chunk of chunkText(thinking)) {
      const delta = { type: 'thinking_delta', thinking: chunk }
      await sse.send({ type: 'content_block_delta', index, delta }, 'content_block_delta')
    }
    const delta = { type: 'signature_delta', signature }
    await sse.send({ type: 'content_block_delta', index, delta }, 'content_block_delta')
    await sse.send({ type: 'content_block_stop', index }, 'content_block_stop')
    index += 1
  }
  if (text !== '') {
    const start = { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }
    await sse.send(start, 'content_block_start')
    await sse.send({ type: 'ping' }, 'ping')
    for (const [at, chunk] of chunks.entries()) {
      if (
        (reply.kind === 'cut' || reply.kind === 'malformed' || reply.kind === 'stream-error') &&
        at === reply.afterChunks
      ) {
        if (reply.kind === 'stream-error') {
          const type = reply.errorType ?? 'overloaded_error'
          await sse.send(
            { type: 'error', error: { type, message: `Mock ${type} mid-stream` } },
            'error',
          )
          sse.end()
        } else if (reply.kind === 'malformed') {
          await sse.send('{"type":"content_block_delta","index":0,"delta":{', 'content_block_delta')
          sse.end()
        } else sse.cut()
        return
      }
      const delta = { type: 'text_delta', text: chunk }
      await sse.send({ type: 'content_block_delta', index, delta }, 'content_block_delta')
    }
    await sse.send({ type: 'content_block_stop', index }, 'content_block_stop')
    index += 1
  }
  for (const call of calls) {
    const block = { type: 'tool_use', id: call.id, name: call.name, input: {} }
    await sse.send(
      { type: 'content_block_start', index, content_block: block },
      'content_block_start',
    )
    const args = JSON.stringify(call.arguments)
    for (let at = 0; at < args.length; at += 7) {
      const delta = { type: 'input_json_delta', partial_json: args.slice(at, at + 7) }
      await sse.send({ type: 'content_block_delta', index, delta }, 'content_block_delta')
    }
    await sse.send({ type: 'content_block_stop', index }, 'content_block_stop')
    index += 1
  }
  const delta = { stop_reason: stopReason, stop_sequence: null }
  const usage = { input_tokens: inputTokens, output_tokens: outputTokens }
  await sse.send({ type: 'message_delta', delta, usage }, 'message_delta')
  await sse.send({ type: 'message_stop' }, 'message_stop')
  sse.end()
}

/** An opaque base64 signature, as Anthropic sends (the real one is a cryptographic proof). */
function mockSignature(thinking: string): string {
  return Buffer.from(`mock-signature:${thinking.length}:${thinking.slice(0, 32)}`).toString(
    'base64',
  )
}

function withId(call: MockToolCall, ids: () => string): Required<MockToolCall> {
  return { ...call, id: call.id ?? `toolu_${ids()}` }
}
