import Anthropic from '@anthropic-ai/sdk'
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

const anthropic = (app: ApiApp, apiKey: string) =>
  new Anthropic({ apiKey, baseURL: 'http://outpost.test', maxRetries: 0, fetch: app.fetch })

describe('POST /v1/messages through the @anthropic-ai/sdk', () => {
  it('answers a non-streaming request with system and usage', async () => {
    const message = await anthropic(demo, demoKey).messages.create({
      model: 'auto',
      max_tokens: 200,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello!' }],
    })
    expect(message).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn' })
    expect(message.model).toMatch(/^demo:/)
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/\S/) })
    expect(message.usage.output_tokens).toBeGreaterThan(0)
  })

  it('streams the real event sequence', async () => {
    const stream = await anthropic(demo, demoKey).messages.create({
      model: 'auto',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Tell me about streams' }],
      stream: true,
    })
    const types: string[] = []
    let text = ''
    for await (const event of stream) {
      types.push(event.type)
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        text += event.delta.text
      }
    }
    expect(types[0]).toBe('message_start')
    expect(types[1]).toBe('content_block_start')
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop'])
    expect(text).toMatch(/\S/)
  })

  it('returns tool_use and takes tool_result back, streaming through the SDK helper', async () => {
    mock.script({
      kind: 'tool-calls',
      calls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Rome' } }],
    })
    const client = anthropic(local, localKey)
    const tools = [
      {
        name: 'get_weather',
        description: 'The weather in a city',
        input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
      },
    ]
    const first = await client.messages
      .stream({
        model: 'local:mock-1',
        max_tokens: 200,
        tools,
        messages: [{ role: 'user', content: 'Weather in Rome?' }],
      })
      .finalMessage()
    expect(first.stop_reason).toBe('tool_use')
    expect(first.content.at(-1)).toEqual({
      type: 'tool_use',
      id: 'toolu_1',
      name: 'get_weather',
      input: { city: 'Rome' },
    })
    const second = await client.messages.create({
      model: 'local:mock-1',
      max_tokens: 200,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Rome?' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }],
        },
      ],
    })
    expect(second.content[0]).toMatchObject({ type: 'text', text: 'The tool returned sunny.' })
  })

  it('surfaces errors as the SDK error classes with Anthropic statuses', async () => {
    await expect(
      anthropic(demo, 'op_wrong').messages.create({
        model: 'auto',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError)

    const invalid = await anthropic(demo, demoKey)
      .messages.create({ model: 'auto', messages: [{ role: 'user', content: 'x' }] } as never)
      .catch((e: unknown) => e)
    expect(invalid).toBeInstanceOf(Anthropic.BadRequestError)
    expect(invalid).toMatchObject({ status: 400, error: { type: 'error' } })

    const app = await createApiApp({ OPENAI_BASE_URL: `${mock.url}/v1`, LOCAL_MODEL: 'mock-1' })
    const { secret } = await app.user('busy')
    mock.script({ kind: 'error', status: 529 })
    const busy = await anthropic(app, secret)
      .messages.create({
        model: 'local:mock-1',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((e: unknown) => e)
    expect(busy).toBeInstanceOf(Anthropic.InternalServerError)
    expect(busy).toMatchObject({
      status: 529,
      error: { type: 'error', error: { type: 'overloaded_error', provider: 'local' } },
    })
  })

  it('sends a mid-stream failure as an error event the SDK throws', async () => {
    mock.script({ kind: 'stream-error', text: 'one two three four five', afterChunks: 2 })
    const stream = await anthropic(local, localKey).messages.create({
      model: 'local:mock-1',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    })
    const error = await (async () => {
      for await (const _event of stream) {
        // Drain until the error event.
      }
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Anthropic.APIError)
  })
})
