import { beforeAll, describe, expect, it } from 'vitest'
import { type ApiApp, createApiApp } from '../support/api-app.ts'

// The in-process half of the hostile-input cases (the runtime suite sends them over sockets):
// every client mistake is a 4xx in the surface's dialect.

let app: ApiApp
let key: string

beforeAll(async () => {
  app = await createApiApp()
  key = (await app.user('hostile')).secret
})

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  app.fetch(`http://outpost.test${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...headers },
    body,
  })

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

describe('deep nesting', () => {
  it('is a 400 json_too_deep wherever JSON arrives, in the dialect', async () => {
    const deepSchema = `{"model":"auto","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"t","parameters":{"type":"object","properties":{"x":${nested(100_000)}}}}}]}`
    const openai = await post('/v1/chat/completions', deepSchema)
    expect(openai.status).toBe(400)
    expect((await openai.json()).error.type).toBe('invalid_request_error')

    const args = JSON.stringify(nested(100_000))
    const calls = await post(
      '/v1/chat/completions',
      `{"model":"auto","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"t","arguments":${args}}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}]}`,
    )
    expect(calls.status).toBe(400)

    const anthropic = await post(
      '/v1/messages',
      `{"model":"auto","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"t","input_schema":{"type":"object","properties":{"x":${nested(100_000)}}}}]}`,
    )
    expect(anthropic.status).toBe(400)
    expect((await anthropic.json()).type).toBe('error')

    const api = await post('/api/conversations', `{"title":${nested(5000)}}`)
    expect(api.status).toBe(400)
    expect((await api.json()).error.code).toBe('json_too_deep')
  })

  it('leaves ordinary nesting alone', async () => {
    const ok = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'Hello there' }] }),
    )
    expect(ok.status).toBe(200)
  })
})

describe('compressed bodies', () => {
  it('are a 415 unsupported_encoding, not malformed JSON', async () => {
    for (const encoding of ['gzip', 'br', 'deflate, gzip']) {
      const response = await post('/api/conversations', '{"title":"x"}', {
        'Content-Encoding': encoding,
      })
      expect(response.status).toBe(415)
      expect((await response.json()).error.code).toBe('unsupported_encoding')
    }
    const identity = await post('/api/conversations', '{"title":"x"}', {
      'Content-Encoding': 'identity',
    })
    expect(identity.status).toBe(201)
  })
})

describe('a request larger than every context window', () => {
  const huge = 'word '.repeat(40_000)

  it('is a 400 context_length_exceeded on /v1/chat/completions', async () => {
    const response = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: huge }] }),
    )
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body.error.code).toBe('context_length_exceeded')
    expect(body.error.type).toBe('invalid_request_error')
  })

  it('is a 400 invalid_request_error on /v1/messages', async () => {
    const response = await post(
      '/v1/messages',
      JSON.stringify({
        model: 'auto',
        max_tokens: 10,
        messages: [{ role: 'user', content: huge }],
      }),
    )
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body.type).toBe('error')
    expect(body.error.type).toBe('invalid_request_error')
  })
})

describe('parameters out of range', () => {
  const messages = [{ role: 'user', content: 'Hello there' }]
  it.each([
    ['/v1/chat/completions', { model: 'auto', messages, top_p: 2 }],
    ['/v1/chat/completions', { model: 'auto', messages, stop: Array(1000).fill('x') }],
    ['/v1/chat/completions', { model: 'auto', messages, presence_penalty: 1e308 }],
    ['/v1/messages', { model: 'auto', max_tokens: 10, messages, top_p: 2 }],
    [
      '/v1/messages',
      { model: 'auto', max_tokens: 10, messages, stop_sequences: Array(1000).fill('x') },
    ],
  ])('%s refuses %j with a 400 in its dialect', async (path, body) => {
    const response = await post(path, JSON.stringify(body))
    expect(response.status).toBe(400)
    const json = await response.json()
    expect(path === '/v1/messages' ? json.error.type : json.error.type).toBe(
      'invalid_request_error',
    )
  })
})
