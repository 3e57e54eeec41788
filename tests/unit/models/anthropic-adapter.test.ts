import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAnthropicModel } from '../../../src/core/models/anthropic.ts'
import type { ModelEvent } from '../../../src/core/models/chat-model.ts'
import { ProviderError } from '../../../src/core/models/provider-error.ts'
import { collect, collectUntilError } from '../../support/collect.ts'
import { type MockLlm, startMockLlm } from '../../support/mock-llm/index.ts'

const textOf = (events: ModelEvent[]) =>
  events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('')

describe('Anthropic adapter through @anthropic-ai/sdk against the mock', () => {
  let mock: MockLlm
  let client: Anthropic
  let model: ReturnType<typeof createAnthropicModel>
  beforeAll(async () => {
    mock = await startMockLlm()
    client = new Anthropic({ apiKey: 'test', baseURL: mock.url, maxRetries: 0 })
    model = createAnthropicModel({ client, model: 'claude-test' })
  })
  afterAll(() => mock.close())
  beforeEach(() => mock.reset())

  it('streams text from the real event sequence, with usage and finish', async () => {
    mock.script({ kind: 'text', text: 'Bonjour tout le monde', usage: { input: 20, output: 5 } })
    const events = await collect(model.stream({ messages: [{ role: 'user', content: 'Hi' }] }))
    expect(textOf(events)).toBe('Bonjour tout le monde')
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 20, outputTokens: 5 },
      { type: 'finish', reason: 'stop' },
    ])
    expect(mock.requests[0]?.headers['anthropic-version']).toBeTruthy()
  })

  it('assembles input_json_delta fragments into parsed tool calls', async () => {
    mock.script({
      kind: 'tool-calls',
      text: 'Checking.',
      calls: [{ id: 'toolu_1', name: 'calculator', arguments: { expression: 'sqrt(16) + 2^3' } }],
    })
    const events = await collect(
      model.stream({
        messages: [{ role: 'user', content: 'compute' }],
        tools: [{ name: 'calculator', description: 'math', inputSchema: { type: 'object' } }],
        toolChoice: 'required',
      }),
    )
    expect(textOf(events)).toBe('Checking.')
    expect(events.filter((e) => e.type === 'tool-call').map((e) => e.call)).toEqual([
      { id: 'toolu_1', name: 'calculator', input: { expression: 'sqrt(16) + 2^3' } },
    ])
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' })
    const sent = mock.requests[0]?.body as Record<string, unknown>
    expect(sent.tools).toEqual([
      { name: 'calculator', description: 'math', input_schema: { type: 'object' } },
    ])
    expect(sent.tool_choice).toEqual({ type: 'any' })
  })

  it('sends system, images, tool use and tool results with alternating roles', async () => {
    await collect(
      model.stream({
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
            ],
          },
          {
            role: 'assistant',
            content: 'Let me see.',
            toolCalls: [{ id: 't1', name: 'calculator', input: { expression: '1+1' } }],
          },
          {
            role: 'tool',
            toolCallId: 't1',
            toolName: 'calculator',
            content: 'boom',
            isError: true,
          },
          { role: 'user', content: 'and then?' },
        ],
        maxTokens: 77,
        stop: ['END'],
      }),
    )
    const sent = mock.requests[0]?.body as Record<string, unknown>
    expect(sent.system).toBe('Be brief.')
    expect(sent.max_tokens).toBe(77)
    expect(sent.stop_sequences).toEqual(['END'])
    expect(sent.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
          },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me see.' },
          { type: 'tool_use', id: 't1', name: 'calculator', input: { expression: '1+1' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'boom', is_error: true },
          { type: 'text', text: 'and then?' },
        ],
      },
    ])
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
  })

  it('maps 529 overloaded and 429 Retry-After to retryable errors', async () => {
    mock.script([
      { kind: 'error', status: 529 },
      { kind: 'error', status: 429, retryAfterSeconds: 3 },
    ])
    const first = await collectUntilError(
      model.stream({ messages: [{ role: 'user', content: 'q' }] }),
    )
    const second = await collectUntilError(
      model.stream({ messages: [{ role: 'user', content: 'q' }] }),
    )
    expect(first.error).toBeInstanceOf(ProviderError)
    expect(first.error).toMatchObject({
      code: 'provider_overloaded',
      retryable: true,
      upstreamStatus: 529,
    })
    expect(second.error).toMatchObject({
      code: 'provider_rate_limited',
      retryAfterMs: 3000,
      provider: 'anthropic',
      model: 'claude-test',
    })
  })

  it('reports a cut stream as retryable after the partial text, never as a clean finish', async () => {
    mock.script({ kind: 'cut', text: 'alpha beta gamma delta', afterChunks: 3 })
    const { events, error } = await collectUntilError(
      model.stream({ messages: [{ role: 'user', content: 'q' }] }),
    )
    expect(textOf(events)).toBe('alpha beta gamma ')
    expect(events.some((e) => e.type === 'finish')).toBe(false)
    expect(error).toMatchObject({ retryable: true })
  })

  it('maps an in-stream overloaded error event after partial text', async () => {
    mock.script({ kind: 'stream-error', text: 'alpha beta gamma', afterChunks: 2 })
    const { events, error } = await collectUntilError(
      model.stream({ messages: [{ role: 'user', content: 'q' }] }),
    )
    expect(textOf(events)).toBe('alpha beta ')
    expect(error).toMatchObject({
      code: 'provider_overloaded',
      retryable: true,
      upstreamStatus: undefined,
    })
  })

  it('reports a malformed event as a retryable bad response', async () => {
    mock.script({ kind: 'malformed', text: 'alpha beta', afterChunks: 1 })
    const { error } = await collectUntilError(
      model.stream({ messages: [{ role: 'user', content: 'q' }] }),
    )
    expect(error).toMatchObject({ code: 'provider_bad_response', retryable: true })
  })

  it('lists models like the real API', async () => {
    const page = await client.models.list()
    expect(page.data.map((m) => m.id)).toEqual(['mock-1', 'mock-2'])
  })
})
