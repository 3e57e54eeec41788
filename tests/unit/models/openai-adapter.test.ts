import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ModelEvent } from '../../../src/core/models/chat-model.ts'
import { createOpenAiModel } from '../../../src/core/models/openai.ts'
import { ProviderError } from '../../../src/core/models/provider-error.ts'
import { collect, collectUntilError } from '../../support/collect.ts'
import { type MockLlm, startMockLlm } from '../../support/mock-llm/index.ts'

const textOf = (events: ModelEvent[]) =>
  events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('')

describe('OpenAI adapter through the openai SDK against the mock', () => {
  let mock: MockLlm
  let model: ReturnType<typeof createOpenAiModel>
  beforeAll(async () => {
    mock = await startMockLlm()
    const client = new OpenAI({ apiKey: 'test', baseURL: `${mock.url}/v1`, maxRetries: 0 })
    model = createOpenAiModel({ client, model: 'gpt-test' })
  })
  afterAll(() => mock.close())
  beforeEach(() => mock.reset())

  it('streams text, usage and a finish reason', async () => {
    // Frames apart in time arrive in reads of their own, so they stay deltas of their own.
    mock.script({
      kind: 'text',
      text: 'Hello there, world.',
      usage: { input: 11, output: 4 },
      chunkDelayMs: 5,
    })
    const events = await collect(model.stream({ messages: [{ role: 'user', content: 'Hi' }] }))
    expect(textOf(events)).toBe('Hello there, world.')
    expect(events.filter((e) => e.type === 'text-delta').length).toBeGreaterThan(1)
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 11, outputTokens: 4 },
      { type: 'finish', reason: 'stop' },
    ])
    const sent = mock.requests[0]?.body as Record<string, unknown>
    expect(sent.stream).toBe(true)
    expect(sent.stream_options).toEqual({ include_usage: true })
  })

  it('answers deterministically from the prompt when nothing is scripted', async () => {
    const ask = () =>
      collect(model.stream({ messages: [{ role: 'user', content: 'Tell me a joke' }] }))
    const first = textOf(await ask())
    expect(first).toContain('Tell me a joke')
    expect(textOf(await ask())).toBe(first)
  })

  it('assembles streamed tool-call argument deltas into parsed calls', async () => {
    mock.script({
      kind: 'tool-calls',
      text: 'Let me check.',
      calls: [
        { id: 'call_1', name: 'calculator', arguments: { expression: '2 * (3 + 4)' } },
        { id: 'call_2', name: 'current_time', arguments: { timezone: 'Europe/Paris' } },
      ],
    })
    const events = await collect(
      model.stream({
        messages: [{ role: 'user', content: 'compute' }],
        tools: [{ name: 'calculator', description: 'math', inputSchema: { type: 'object' } }],
        toolChoice: 'auto',
      }),
    )
    const calls = events.filter((e) => e.type === 'tool-call').map((e) => e.call)
    expect(calls).toEqual([
      { id: 'call_1', name: 'calculator', input: { expression: '2 * (3 + 4)' } },
      { id: 'call_2', name: 'current_time', input: { timezone: 'Europe/Paris' } },
    ])
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' })
    const sent = mock.requests[0]?.body as { tools: unknown[]; tool_choice: string }
    expect(sent.tools).toEqual([
      {
        type: 'function',
        function: { name: 'calculator', description: 'math', parameters: { type: 'object' } },
      },
    ])
    expect(sent.tool_choice).toBe('auto')
  })

  it('sends tool results, assistant tool calls, images and options in the wire format', async () => {
    await collect(
      model.stream({
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
              { type: 'image', url: 'https://example.com/cat.jpg' },
            ],
          },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'c1', name: 'calculator', input: { expression: '1+1' } }],
          },
          { role: 'tool', toolCallId: 'c1', toolName: 'calculator', content: '2' },
        ],
        temperature: 0.2,
        maxTokens: 50,
        stop: ['END'],
      }),
    )
    const sent = mock.requests[0]?.body as Record<string, unknown>
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'calculator', arguments: '{"expression":"1+1"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '2' },
    ])
    expect(sent).toMatchObject({ temperature: 0.2, max_tokens: 50, stop: ['END'] })
  })

  it('yields the same events without streaming', async () => {
    mock.script({
      kind: 'tool-calls',
      text: 'ok',
      calls: [{ id: 'x', name: 't', arguments: { a: 1 } }],
    })
    const events = await collect(
      model.stream({ messages: [{ role: 'user', content: 'q' }], stream: false }),
    )
    expect(events.map((e) => e.type)).toEqual(['text-delta', 'tool-call', 'usage', 'finish'])
    expect(mock.requests[0]?.body).not.toHaveProperty('stream', true)
  })

  it('maps a 429 with Retry-After to a retryable ProviderError', async () => {
    mock.script({ kind: 'error', status: 429, retryAfterSeconds: 2 })
    const { error } = await collectUntilError(
      model.stream({ messages: [{ role: 'user', content: 'q' }] }),
    )
    expect(error).toBeInstanceOf(ProviderError)
    expect(error).toMatchObject({
      code: 'provider_rate_limited',
      retryable: true,
      retryAfterMs: 2000,
      upstreamStatus: 429,
      provider: 'openai',
      model: 'gpt-test',
    })
  })

  it('maps 500 as retryable and 400 / 401 as final', async () => {
    mock.script([
      { kind: 'error', status: 500 },
      { kind: 'error', status: 400 },
      { kind: 'error', status: 401 },
    ])
    const codes = []
    for (let i = 0; i < 3; i++) {
      const { error } = await collectUntilError(
        model.stream({ messages: [{ role: 'user', content: 'q' }] }),
      )
      codes.push([(error as ProviderError).code, (error as ProviderError).retryable])
    }
    expect(codes).toEqual([
      ['provider_unavailable', true],
      ['provider_bad_request', false],
      ['provider_auth', false],
    ])
  })

  it('turns a stream cut mid-answer into a retryable error after the partial text', async () => {
    mock.script({ kind: 'cut', text: 'one two three four five', afterChunks: 2 })
    const { events, error } = await collectUntilError(
      model.stream({ messages: [{ role: 'user', content: 'q' }] }),
    )
    expect(textOf(events)).toBe('one two ')
    expect(error).toMatchObject({ code: 'provider_network', retryable: true })
  })

  it('maps an in-stream error chunk after partial text', async () => {
    mock.script({ kind: 'stream-error', text: 'one two three', afterChunks: 1 })
    const { events, error } = await collectUntilError(
      model.stream({ messages: [{ role: 'user', content: 'q' }] }),
    )
    expect(textOf(events)).toBe('one ')
    expect(error).toMatchObject({ code: 'provider_unavailable', retryable: true })
  })

  it('turns a malformed chunk into a retryable bad-response error', async () => {
    mock.script({ kind: 'malformed', text: 'one two three', afterChunks: 1 })
    const { error } = await collectUntilError(
      model.stream({ messages: [{ role: 'user', content: 'q' }] }),
    )
    expect(error).toMatchObject({ code: 'provider_bad_response', retryable: true })
  })

  it('stops the request when the signal aborts', async () => {
    mock.script({ kind: 'text', text: 'a b c d e f g h', chunkDelayMs: 50 })
    const controller = new AbortController()
    const seen: ModelEvent[] = []
    let error: unknown
    try {
      for await (const event of model.stream(
        { messages: [{ role: 'user', content: 'q' }] },
        controller.signal,
      )) {
        seen.push(event)
        if (seen.length === 1) controller.abort()
      }
    } catch (caught) {
      error = caught
    }
    expect(seen.length).toBeLessThan(4)
    expect(error).toMatchObject({ code: 'provider_aborted', retryable: false })
  })

  it('maps a client timeout on a slow first byte to a retryable timeout', async () => {
    mock.script({ kind: 'text', text: 'too late', firstByteDelayMs: 1_000 })
    const impatient = createOpenAiModel({
      client: new OpenAI({ apiKey: 'test', baseURL: `${mock.url}/v1`, maxRetries: 0, timeout: 20 }),
      model: 'gpt-test',
    })
    const { events, error } = await collectUntilError(
      impatient.stream({ messages: [{ role: 'user', content: 'q' }] }),
    )
    expect(events).toEqual([])
    expect(error).toMatchObject({ code: 'provider_timeout', retryable: true })
  })

  it('lists models and serves embeddings like the real API', async () => {
    const client = new OpenAI({ apiKey: 'test', baseURL: `${mock.url}/v1`, maxRetries: 0 })
    const list = await client.models.list()
    expect(list.data.map((m) => m.id)).toEqual(['mock-1', 'mock-2'])
    const embedded = await client.embeddings.create({ model: 'e', input: ['a', 'b'] })
    expect(embedded.data).toHaveLength(2)
    const norm = Math.hypot(...(embedded.data[0]?.embedding ?? []))
    expect(norm).toBeCloseTo(1, 5)
  })
})
