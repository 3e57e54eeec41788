import Anthropic, { RateLimitError } from '@anthropic-ai/sdk'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { LeanAnthropic } from '../../../src/core/models/anthropic-client.ts'
import { type MockLlm, type RecordedRequest, startMockLlm } from '../../support/mock-llm/index.ts'

// The lean client must be the full client on the wire: same requests, same answers, same
// error classes. Each case runs through both and compares what the upstream saw.
describe('LeanAnthropic', () => {
  let mock: MockLlm
  beforeAll(async () => {
    mock = await startMockLlm()
  })
  afterAll(() => mock.close())
  beforeEach(() => mock.reset())

  const clients = () => {
    const options = { apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 }
    return { lean: new LeanAnthropic(options), full: new Anthropic(options) }
  }
  const params = {
    model: 'claude-haiku-4-5',
    max_tokens: 64,
    messages: [{ role: 'user' as const, content: 'hello there' }],
  }
  // What identifies a request on the wire; the SDK's per-call ids and timings aside.
  const wire = (request: RecordedRequest | undefined) => {
    const { 'x-stainless-retry-count': _retry, ...headers } = request?.headers ?? {}
    return { method: request?.method, path: request?.path, body: request?.body, headers }
  }

  it('sends the same message request and reads the same answer', async () => {
    const { lean, full } = clients()
    mock.script({ kind: 'text', text: 'Bonjour' })
    const fromLean = await lean.messages.create(params)
    const leanRequest = mock.requests.at(-1)
    mock.script({ kind: 'text', text: 'Bonjour' })
    const fromFull = await full.messages.create(params)
    expect(wire(leanRequest)).toEqual(wire(mock.requests.at(-1)))
    const { authorization, 'x-api-key': apiKey } = leanRequest?.headers ?? {}
    expect(apiKey ?? authorization).toMatch(/sk-test$/)
    expect(leanRequest?.headers['anthropic-version']).toBeDefined()
    expect({ ...fromLean, id: '' }).toEqual({ ...fromFull, id: '' })
  })

  it('streams, lists models and raises the SDK error classes as the full client does', async () => {
    const { lean, full } = clients()
    for (const client of [lean, full]) {
      mock.script({ kind: 'text', text: 'one two three' })
      const response = await client.messages.create({ ...params, stream: true }).asResponse()
      expect(response.headers.get('content-type')).toContain('text/event-stream')
      expect(await response.text()).toContain('three')
    }
    const [leanStream, fullStream] = mock.requests.slice(-2)
    expect(wire(leanStream)).toEqual(wire(fullStream))

    const listed = await lean.models.list({ limit: 1 })
    expect(listed.data.length).toBeGreaterThan(0)
    expect(wire(mock.requests.at(-1))).toMatchObject({ method: 'GET', path: '/v1/models' })

    mock.script({ kind: 'error', status: 429, retryAfterSeconds: 3 })
    const refused = await lean.messages.create(params).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(RateLimitError)
    expect((refused as RateLimitError).headers?.get('retry-after')).toBe('3')
  })
})
