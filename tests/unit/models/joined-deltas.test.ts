import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { createAnthropicModel } from '../../../src/core/models/anthropic.ts'
import type { ModelEvent } from '../../../src/core/models/chat-model.ts'
import { JoinedDeltas } from '../../../src/core/models/joined-deltas.ts'
import { createOpenAiModel } from '../../../src/core/models/openai.ts'
import { sseEventBatches } from '../../../src/core/models/sse-events.ts'
import { collect, collectUntilError } from '../../support/collect.ts'

const encoder = new TextEncoder()
// A body delivered as the given reads, each one chunk.
const body = (reads: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const read of reads) controller.enqueue(encoder.encode(read))
      controller.close()
    },
  })

const frame = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`

/** An OpenAI model whose upstream answers with exactly these reads. */
const modelAnswering = (reads: string[]) =>
  createOpenAiModel({
    client: new OpenAI({ apiKey: 'k', baseURL: 'http://upstream.invalid/v1', maxRetries: 0 }),
    model: 'm',
    streamChat: async () => ({
      response: new Response(body(reads), { headers: { 'content-type': 'text/event-stream' } }),
      release: () => {},
    }),
  })

const ask = { messages: [{ role: 'user' as const, content: 'q' }] }

describe('sseEventBatches', () => {
  it('hands over every event a read completed, as one batch per read', async () => {
    const batches = []
    // The second read completes the first event and brings two more; the third completes one.
    for await (const batch of sseEventBatches(
      body(['data: a', '\n\ndata: b\n\ndata: c\n\nda', 'ta: d\n\n']),
    )) {
      batches.push(batch.map((event) => event.data))
    }
    expect(batches).toEqual([['a', 'b', 'c'], ['d']])
  })
})

describe('JoinedDeltas', () => {
  it('joins consecutive deltas of one kind, keeps kinds, signatures and order apart', () => {
    const joined = new JoinedDeltas()
    const events: ModelEvent[] = [
      { type: 'thinking-delta', text: 'hm' },
      { type: 'thinking-delta', text: 'm.' },
      { type: 'thinking-delta', text: '', signature: 'sig' },
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo' },
      { type: 'tool-call', call: { id: 't', name: 'n', input: {} } },
      { type: 'text-delta', text: '!' },
    ]
    for (const event of events) joined.add(event)
    expect(joined.take()).toEqual([
      { type: 'thinking-delta', text: 'hmm.' },
      { type: 'thinking-delta', text: '', signature: 'sig' },
      { type: 'text-delta', text: 'Hello' },
      { type: 'tool-call', call: { id: 't', name: 'n', input: {} } },
      { type: 'text-delta', text: '!' },
    ])
    // The caller's events are never changed, and a new batch starts empty.
    expect(events[3]).toEqual({ type: 'text-delta', text: 'Hel' })
    expect(joined.take()).toEqual([])
  })
})

describe('an OpenAI stream read several frames at a time', () => {
  it('answers one delta per read and kind, the same text, and the end as before', async () => {
    const usage = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } })}\n\n`
    const events = await collect(
      modelAnswering([
        frame({ reasoning_content: 'Think' }) +
          frame({ reasoning_content: 'ing.' }) +
          frame({ content: 'Hel' }) +
          frame({ content: 'lo' }),
        frame({ content: ', world' }),
        `${frame({ content: '.' }, 'stop')}${usage}data: [DONE]\n\n`,
      ]).stream(ask),
    )
    expect(events).toEqual([
      { type: 'thinking-delta', text: 'Thinking.' },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ', world' },
      { type: 'text-delta', text: '.' },
      { type: 'usage', inputTokens: 3, outputTokens: 4 },
      { type: 'finish', reason: 'stop' },
    ])
  })

  it('still hands over what a read brought before an error in the same read', async () => {
    const { events, error } = await collectUntilError(
      modelAnswering([
        frame({ content: 'Par' }) +
          frame({ content: 'tial' }) +
          'event: error\ndata: {"error":{"message":"overloaded","type":"server_error"}}\n\n',
      ]).stream(ask),
    )
    expect(events).toEqual([{ type: 'text-delta', text: 'Partial' }])
    expect(error).toMatchObject({ code: expect.any(String) })
  })
})

/** An Anthropic model whose upstream answers with exactly these reads. */
const anthropicAnswering = (reads: string[]) =>
  createAnthropicModel({
    client: new Anthropic({
      apiKey: 'k',
      baseURL: 'http://upstream.invalid',
      maxRetries: 0,
      fetch: async () =>
        new Response(body(reads), { headers: { 'content-type': 'text/event-stream' } }),
    }),
    model: 'claude-test',
  })

const named = (event: string, data: Record<string, unknown>) =>
  `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`
const textDelta = (text: string) =>
  named('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })

describe('an Anthropic stream read several frames at a time', () => {
  const start = named('message_start', {
    message: {
      id: 'm',
      type: 'message',
      role: 'assistant',
      content: [],
      model: 'claude-test',
      usage: { input_tokens: 5, output_tokens: 0 },
    },
  })

  it('answers one delta per read, with pings and block events in between left out', async () => {
    const events = await collect(
      anthropicAnswering([
        `${start}${named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } })}${textDelta('Hel')}${named('ping', {})}${textDelta('lo')}`,
        `${textDelta('!')}${named('content_block_stop', { index: 0 })}${named('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } })}${named('message_stop', {})}`,
      ]).stream(ask),
    )
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '!' },
      { type: 'usage', inputTokens: 5, outputTokens: 3 },
      { type: 'finish', reason: 'stop' },
    ])
  })

  it('hands over what a read brought before an error event in the same read', async () => {
    const { events, error } = await collectUntilError(
      anthropicAnswering([
        `${start}${textDelta('Par')}${textDelta('tial')}${named('error', { error: { type: 'overloaded_error', message: 'busy' } })}`,
      ]).stream(ask),
    )
    expect(events).toEqual([{ type: 'text-delta', text: 'Partial' }])
    expect(error).toMatchObject({ code: 'provider_overloaded' })
  })
})
