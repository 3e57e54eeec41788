import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type MockLlm, startMockLlm } from '../../support/mock-llm/index.ts'

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

const frames = (text: string) =>
  text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const event = frame.match(/^event: (.*)$/m)?.[1]
      const data = frame.match(/^data: (.*)$/m)?.[1] ?? ''
      return { event, data }
    })

describe('mock LLM wire format', () => {
  let mock: MockLlm
  beforeAll(async () => {
    mock = await startMockLlm()
  })
  afterAll(() => mock.close())
  beforeEach(() => mock.reset())

  it('streams OpenAI chunks with tool-call deltas by index, a usage chunk and [DONE]', async () => {
    mock.script({
      kind: 'tool-calls',
      calls: [{ id: 'call_9', name: 'calc', arguments: { expression: '1 + 2 + 3' } }],
    })
    const res = await post(`${mock.url}/v1/chat/completions`, {
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const list = frames(await res.text())
    expect(list.at(-1)?.data).toBe('[DONE]')
    const chunks = list.slice(0, -1).map((f) => JSON.parse(f.data))
    const toolDeltas = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? [])
    expect(toolDeltas[0]).toEqual({
      index: 0,
      id: 'call_9',
      type: 'function',
      function: { name: 'calc', arguments: '' },
    })
    expect(
      toolDeltas
        .slice(1)
        .every((d: { id?: string; index: number }) => d.id === undefined && d.index === 0),
    ).toBe(true)
    expect(
      toolDeltas.map((d: { function: { arguments: string } }) => d.function.arguments).join(''),
    ).toBe('{"expression":"1 + 2 + 3"}')
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls')
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: expect.any(Number) },
    })
  })

  it('streams the Anthropic event sequence', async () => {
    mock.script({
      kind: 'tool-calls',
      text: 'Sure.',
      calls: [{ name: 'calc', arguments: { a: 1 } }] /* 7 characters: one delta */,
    })
    const res = await post(
      `${mock.url}/v1/messages`,
      { model: 'c', max_tokens: 10, messages: [{ role: 'user', content: 'x' }], stream: true },
      { 'anthropic-version': '2023-06-01' },
    )
    const events = frames(await res.text()).map((f) => f.event)
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
  })

  it('serves scripted replies per model before the shared queue, then the default', async () => {
    mock.script({ kind: 'text', text: 'shared' })
    mock.script({ kind: 'text', text: 'for b' }, { model: 'b' })
    const ask = async (model: string) => {
      const res = await post(`${mock.url}/v1/chat/completions`, {
        model,
        messages: [{ role: 'user', content: 'hello' }],
      })
      return ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]
        ?.message.content
    }
    expect(await ask('b')).toBe('for b')
    expect(await ask('b')).toBe('shared')
    expect(await ask('b')).toBe('Mock b reply to "hello" (1 words).')
    expect(mock.pending).toBe(0)
    expect(mock.requests.map((r) => r.reply)).toEqual(['text', 'text', 'default'])
  })

  it('answers errors with Retry-After in the provider error shape', async () => {
    mock.script({ kind: 'error', status: 529, retryAfterSeconds: 1.5 })
    const res = await post(
      `${mock.url}/v1/messages`,
      { model: 'c', messages: [] },
      { 'anthropic-version': '2023-06-01' },
    )
    expect(res.status).toBe(529)
    expect(res.headers.get('retry-after')).toBe('1.5')
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } })
  })
})
