import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type ApiApp, createApiApp } from '../support/api-app.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'

let mock: MockLlm
let demo: ApiApp
let local: ApiApp
let demoKey: string
let localKey: string

beforeAll(async () => {
  mock = await startMockLlm()
  demo = await createApiApp()
  local = await createApiApp({ OPENAI_BASE_URL: `${mock.url}/v1`, LOCAL_MODEL: 'mock-1' })
  demoKey = (await demo.user('demo')).secret
  localKey = (await local.user('local')).secret
})
afterAll(async () => {
  await mock?.close()
})
beforeEach(() => mock.reset())

const openai = (app: ApiApp, apiKey: string) =>
  new OpenAI({ apiKey, baseURL: 'http://outpost.test/v1', maxRetries: 0, fetch: app.fetch })

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}

describe('POST /v1/chat/completions through the openai SDK', () => {
  it('answers a non-streaming request and says which model answered and why', async () => {
    const { data, response } = await openai(demo, demoKey)
      .chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'Hello!' }] })
      .withResponse()
    expect(data.object).toBe('chat.completion')
    expect(data.model).toMatch(/^demo:/)
    expect(data.choices).toHaveLength(1)
    expect(data.choices[0]?.message.content).toEqual(expect.stringMatching(/\S/))
    expect(data.choices[0]?.finish_reason).toBe('stop')
    expect(data.usage?.total_tokens).toBe(
      (data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0),
    )
    expect(response.headers.get('x-outpost-model')).toBe(data.model)
    expect(response.headers.get('x-outpost-route')).toMatch(/tier=/)
  })

  it('streams chunks with include_usage and [DONE]', async () => {
    const client = openai(demo, demoKey)
    const stream = await client.chat.completions.create({
      model: 'fast',
      messages: [{ role: 'user', content: 'Tell me about streams' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk)
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(text).toMatch(/\S/)
    const finish = chunks.at(-2)
    expect(finish?.choices[0]?.finish_reason).toBe('stop')
    const last = chunks.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0)
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true)
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1)
  })

  it('returns tool calls to the client and takes the results back (round trip)', async () => {
    mock.script({
      kind: 'tool-calls',
      calls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }],
    })
    const client = openai(local, localKey)
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Paris?' },
    ]
    const first = await client.chat.completions.create({
      model: 'local:mock-1',
      messages,
      tools: [weatherTool],
      tool_choice: 'auto',
    })
    const call = first.choices[0]?.message.tool_calls?.[0]
    expect(first.choices[0]?.finish_reason).toBe('tool_calls')
    expect(call).toMatchObject({
      id: 'call_1',
      type: 'function',
      function: { name: 'get_weather' },
    })
    expect(JSON.parse((call as { function: { arguments: string } }).function.arguments)).toEqual({
      city: 'Paris',
    })
    expect(mock.requests[0]?.body).toMatchObject({
      tools: [{ type: 'function', function: { name: 'get_weather' } }],
    })

    messages.push(first.choices[0]!.message, {
      role: 'tool',
      tool_call_id: 'call_1',
      content: '21°C',
    })
    const second = await client.chat.completions.create({
      model: 'local:mock-1',
      messages,
      tools: [weatherTool],
    })
    expect(second.choices[0]?.message.content).toBe('The tool returned 21°C.')
    expect(mock.requests).toHaveLength(2)
  })

  it('streams a tool call the SDK stream helper assembles', async () => {
    mock.script({
      kind: 'tool-calls',
      calls: [{ id: 'call_2', name: 'get_weather', arguments: { city: 'Oslo' } }],
    })
    const final = await openai(local, localKey)
      .chat.completions.stream({
        model: 'local:mock-1',
        messages: [{ role: 'user', content: 'Weather in Oslo?' }],
        tools: [weatherTool],
      })
      .finalChatCompletion()
    expect(final.choices[0]?.finish_reason).toBe('tool_calls')
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      id: 'call_2',
      function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
    })
  })

  it('passes images, stop, max tokens and temperature to the model', async () => {
    // The local endpoint cannot read images; an Anthropic-backed deployment can.
    const app = await createApiApp({ ANTHROPIC_BASE_URL: mock.url, ANTHROPIC_API_KEY: 'x' })
    const { secret } = await app.user('vision')
    const answer = await openai(app, secret).chat.completions.create({
      model: 'vision',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
      stop: ['END'],
      max_completion_tokens: 50,
      temperature: 0.2,
      user: 'someone',
      seed: 7,
    })
    expect(answer.model).toMatch(/^anthropic:/)
    const sent = mock.requests[0]?.body as Record<string, unknown>
    expect(mock.requests[0]?.protocol).toBe('anthropic')
    expect(JSON.stringify(sent.messages)).toContain('iVBORw0KGgo=')
    expect(sent).toMatchObject({ stop_sequences: ['END'], temperature: 0.2, max_tokens: 50 })
  })

  it('surfaces errors as the SDK error classes with the right status', async () => {
    const noKey = openai(demo, 'op_wrong')
    await expect(
      noKey.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError)

    const client = openai(demo, demoKey)
    const n = await client.chat.completions
      .create({ model: 'auto', n: 2, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)
    expect(n).toBeInstanceOf(OpenAI.BadRequestError)
    expect(n).toMatchObject({ status: 400, param: 'n', type: 'invalid_request_error' })

    const model = await client.chat.completions
      .create({ model: 'nope:model', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)
    expect(model).toMatchObject({ status: 400, code: 'model_unknown' })

    const shape = await client.chat.completions
      .create({ model: 'auto', messages: [] })
      .catch((e: unknown) => e)
    expect(shape).toBeInstanceOf(OpenAI.BadRequestError)
    expect(shape).toMatchObject({ param: 'messages' })
  })

  it('maps a provider failure after every fallback to a 5xx naming the provider', async () => {
    const app = await createApiApp({ OPENAI_BASE_URL: `${mock.url}/v1`, LOCAL_MODEL: 'mock-1' })
    const { secret } = await app.user('failing')
    mock.script({ kind: 'error', status: 500, message: 'boom' })
    const error = await openai(app, secret)
      .chat.completions.create({
        model: 'local:mock-1',
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.InternalServerError)
    expect(error).toMatchObject({ status: 502, error: { provider: 'local' } })
  })

  it('answers a streaming request that fails before any output with an HTTP error', async () => {
    const app = await createApiApp({ OPENAI_BASE_URL: `${mock.url}/v1`, LOCAL_MODEL: 'mock-1' })
    const { secret } = await app.user('failing-stream')
    mock.script({ kind: 'error', status: 500, message: 'boom' })
    const error = await openai(app, secret)
      .chat.completions.create({
        model: 'local:mock-1',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.InternalServerError)
    expect(error).toMatchObject({ status: 502, code: 'provider_unavailable' })
  })

  it('sends a mid-stream failure as an error chunk the SDK throws', async () => {
    mock.script({ kind: 'stream-error', text: 'one two three four five', afterChunks: 2 })
    const stream = await openai(local, localKey).chat.completions.create({
      model: 'local:mock-1',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    })
    const seen: string[] = []
    const error = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '')
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect(seen.join('')).toMatch(/one/)
  })

  it('lists tiers and models with capabilities', async () => {
    const list = await openai(local, localKey).models.list()
    const ids = list.data.map((m) => m.id)
    expect(ids).toEqual(expect.arrayContaining(['auto', 'fast', 'smart', 'local', 'local:mock-1']))
    expect(list.data.find((m) => m.id === 'local:mock-1')).toMatchObject({
      kind: 'model',
      capabilities: { tools: expect.any(Boolean), context_window: expect.any(Number) },
    })
  })
})
