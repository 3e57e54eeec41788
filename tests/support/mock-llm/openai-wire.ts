import type { ServerResponse } from 'node:http'
import {
  chunkText,
  estimateTokens,
  type MockReply,
  type MockToolCall,
  type PromptGist,
} from './script.ts'
import { pause, retryHeaders, SseWriter, sendJson } from './wire.ts'

interface OpenAiMessage {
  role: string
  content?: string | Array<{ type: string; text?: string }> | null
}

const imagesOf = (m: OpenAiMessage | undefined) =>
  typeof m?.content === 'string' || !m?.content
    ? 0
    : m.content.filter((part) => part.type === 'image_url').length

/** What the default reply needs from an OpenAI chat request. */
export function openAiGist(body: { messages?: OpenAiMessage[] }): PromptGist {
  const messages = body.messages ?? []
  const last = messages.at(-1)
  const textOf = (m: OpenAiMessage | undefined) =>
    typeof m?.content === 'string'
      ? m.content
      : (m?.content ?? []).map((part) => part.text ?? '').join(' ')
  const lastUser = [...messages].reverse().find((m) => m.role === 'user')
  return {
    lastUserImages: imagesOf(lastUser),
    lastUserText: textOf(lastUser),
    lastToolResult: last?.role === 'tool' ? textOf(last) : undefined,
    inputChars: JSON.stringify(messages).length,
  }
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  503: 'service_unavailable',
}

/** Answers `POST /v1/chat/completions` with a scripted or default reply, JSON or SSE. */
export async function answerOpenAi(
  res: ServerResponse,
  body: { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } },
  gist: PromptGist,
  reply: MockReply,
  ids: () => string,
): Promise<void> {
  await pause(res, reply.firstByteDelayMs)
  if (reply.kind === 'error') {
    const type = errorTypes[reply.status] ?? 'server_error'
    const message = reply.message ?? `Mock error ${reply.status}`
    sendJson(
      res,
      reply.status,
      { error: { message, type, param: null, code: type } },
      {
        ...retryHeaders(reply.retryAfterSeconds),
        'x-request-id': ids(),
      },
    )
    return
  }
  const id = `chatcmpl-${ids()}`
  const model = body.model ?? 'mock'
  const created = Math.floor(Date.now() / 1000)
  const text = reply.kind === 'tool-calls' ? (reply.text ?? '') : reply.text
  const calls = reply.kind === 'tool-calls' ? reply.calls.map((c) => withId(c, ids)) : []
  const chunks = chunkText(text)
  const argsChars = calls.reduce((n, c) => n + JSON.stringify(c.arguments).length, 0)
  const usage = {
    prompt_tokens: reply.usage?.input ?? estimateTokens(gist.inputChars),
    completion_tokens:
      reply.usage?.output ?? Math.max(1, chunks.length + estimateTokens(argsChars)),
  }
  const usageBody = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens }
  const finish = calls.length > 0 ? 'tool_calls' : 'stop'

  if (!body.stream) {
    if (reply.kind === 'cut' || reply.kind === 'malformed' || reply.kind === 'stream-error') {
      res.socket?.destroy()
      return
    }
    const message = {
      role: 'assistant',
      content: text === '' && calls.length > 0 ? null : text,
      refusal: null,
      ...(reply.thinking === undefined ? {} : { reasoning_content: reply.thinking }),
      ...(calls.length > 0 ? { tool_calls: calls.map(toWireCall) } : {}),
    }
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
      usage: usageBody,
    })
    return
  }

  const sse = new SseWriter(res, reply.chunkDelayMs)
  const frame = (delta: unknown, finishReason: string | null = null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  })
  await sse.send(frame({ role: 'assistant', content: '', refusal: null }))
  // vLLM, llama.cpp and DeepSeek stream reasoning as `reasoning_content` before the answer.
  for (const chunk of chunkText(reply.thinking ?? '')) {
    await sse.send(frame({ reasoning_content: chunk, content: null }))
  }
  for (const [index, chunk] of chunks.entries()) {
    if (
      (reply.kind === 'cut' || reply.kind === 'malformed' || reply.kind === 'stream-error') &&
      index === reply.afterChunks
    ) {
      if (reply.kind === 'stream-error') {
        const type = reply.errorType ?? 'server_error'
        await sse.send({
          error: { message: `Mock ${type} mid-stream`, type, param: null, code: type },
        })
        sse.end()
      } else if (reply.kind === 'malformed') {
        await sse.send('{"id":"broken","choices":[{"delta":{"content":')
        sse.end()
      } else sse.cut()
      return
    }
    await sse.send(frame({ content: chunk }))
  }
  for (const [index, call] of calls.entries()) {
    const args = JSON.stringify(call.arguments)
    const head = {
      index,
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: '' },
    }
    await sse.send(frame({ tool_calls: [head] }))
    for (let at = 0; at < args.length; at += 7) {
      const part = { index, function: { arguments: args.slice(at, at + 7) } }
      await sse.send(frame({ tool_calls: [part] }))
    }
  }
  await sse.send(frame({}, finish))
  if (body.stream_options?.include_usage) {
    await sse.send({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [],
      usage: usageBody,
    })
  }
  await sse.send('[DONE]')
  sse.end()
}

function withId(call: MockToolCall, ids: () => string): Required<MockToolCall> {
  return { ...call, id: call.id ?? `call_${ids()}` }
}

function toWireCall(call: Required<MockToolCall>) {
  return {
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }
}
