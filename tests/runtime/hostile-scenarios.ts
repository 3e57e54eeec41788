import { expect } from 'vitest'
import type { MockLlm } from '../support/mock-llm/index.ts'
import { rawExchange } from './raw-http.ts'

/** What a hostile scenario gets: one server per runtime for the whole suite. */
export interface HostileContext {
  baseUrl: string
  apiKey: string
  runtime: string
  mock: MockLlm
  /** The server's idle timeout (s) and heartbeat (ms), as configured for the suite. */
  idleTimeoutSeconds: number
  /** Whether history lives in PostgreSQL (PGlite), which refuses U+0000 (not on workerd). */
  sqlHistory: boolean
}

/** One finding of issue 10 (or the next thing an attacker would try), as a case. */
export interface HostileScenario {
  name: string
  /** Cases that wait for a stream to outlive the idle timeout. */
  slow?: boolean
  run(context: HostileContext): Promise<void>
}

const json = (apiKey: string, extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${apiKey}`,
  'Content-Type': 'application/json',
  ...extra,
})

async function post(context: HostileContext, path: string, body: string, extra = {}) {
  return fetch(`${context.baseUrl}${path}`, {
    method: 'POST',
    headers: json(context.apiKey, extra),
    body,
  })
}

const hello = [{ role: 'user', content: 'Hello there' }]

/** A good request: after every hostile one, the server still answers it. */
export async function goodRequestSucceeds(context: HostileContext) {
  const response = await post(
    context,
    '/v1/chat/completions',
    JSON.stringify({ model: 'auto', messages: hello }),
  )
  expect(response.status).toBe(200)
  expect((await response.json()).object).toBe('chat.completion')
}

async function expectOpenAiError(response: Response, status: number, code?: string) {
  expect(response.status).toBe(status)
  const body = await response.json()
  expect(body.error.type).toBe(status < 500 ? 'invalid_request_error' : 'server_error')
  if (code) expect(body.error.code).toBe(code)
}

async function expectAnthropicError(response: Response, status: number) {
  expect(response.status).toBe(status)
  const body = await response.json()
  expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } })
}

async function expectApiError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  expect((await response.json()).error.code).toBe(code)
}

async function newConversation(context: HostileContext): Promise<string> {
  const response = await post(context, '/api/conversations', '{"title":"hostile"}')
  expect(response.status).toBe(201)
  return ((await response.json()) as { id: string }).id
}

async function waitForRunEnd(context: HostileContext, runId: string) {
  const started = Date.now()
  for (;;) {
    const response = await fetch(`${context.baseUrl}/api/runs/${runId}`, {
      headers: json(context.apiKey),
    })
    const run = (await response.json()) as { status: string; finished_at: unknown }
    if (run.status !== 'running') return run
    if (Date.now() - started > 15_000) throw new Error(`run ${runId} still running after 15 s`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

/** The healthz round trip while `work` runs: how long one request held the event loop. */
async function healthzDuring(context: HostileContext, work: Promise<unknown>): Promise<number> {
  await new Promise((r) => setTimeout(r, 50))
  const started = performance.now()
  const health = await fetch(`${context.baseUrl}/healthz`)
  const took = performance.now() - started
  expect(health.status).toBe(200)
  await work
  return took
}

export const hostileScenarios: HostileScenario[] = [
  {
    name: '1: quadratic-regex bait (100 KB of "a", "exit ", "if all ") does not stall /healthz',
    async run(context) {
      const baits = ['a', 'exit ', 'if all ', 'a_', 'def a'].map((seed) =>
        seed.repeat(Math.ceil(100_000 / seed.length)),
      )
      const work = Promise.all(
        baits.map((content) =>
          post(
            context,
            '/v1/chat/completions',
            JSON.stringify({ model: 'auto', messages: [{ role: 'user', content }] }),
          ).then(async (r) => {
            await r.arrayBuffer()
            return r.status
          }),
        ),
      )
      const took = await healthzDuring(context, work)
      for (const status of await work) expect(status).toBe(200)
      // Before the fix one of these held the loop 3-16 s; a loaded test machine stays far below.
      expect(took).toBeLessThan(2000)
    },
  },
  {
    name: '2: a model answer holding U+0000 and a lone surrogate is stored; the run ends',
    async run(context) {
      context.mock.script({ kind: 'text', text: 'nul \u0000 here and \ud800 there' })
      const id = await newConversation(context)
      const sent = await post(context, `/api/conversations/${id}/messages`, '{"content":"say nul"}')
      expect(sent.status).toBe(202)
      const { run_id } = (await sent.json()) as { run_id: string }
      const run = await waitForRunEnd(context, run_id)
      expect(run.status).toBe('completed')
      expect(run.finished_at).not.toBeNull()
      const conversation = await fetch(`${context.baseUrl}/api/conversations/${id}`, {
        headers: json(context.apiKey),
      })
      expect(JSON.stringify(await conversation.json())).toContain('here and')
    },
  },
  {
    name: '3: streams outlive the idle timeout while the model is silent (keep-alives flow)',
    slow: true,
    async run(context) {
      const silence = (context.idleTimeoutSeconds + 3) * 1000
      context.mock.script([
        { kind: 'text', text: 'late answer one', firstByteDelayMs: silence },
        { kind: 'text', text: 'late answer two', firstByteDelayMs: silence },
      ])
      const id = await newConversation(context)
      const [api, openai] = await Promise.all([
        post(context, `/api/conversations/${id}/messages`, '{"content":"think long"}', {
          Accept: 'text/event-stream',
        }).then(async (r) => ({ status: r.status, text: await r.text() })),
        post(
          context,
          '/v1/chat/completions',
          JSON.stringify({ model: 'auto', messages: hello, stream: true }),
        ).then(async (r) => ({ status: r.status, text: await r.text() })),
      ])
      expect(api.status).toBe(200)
      expect(api.text).toContain(': keepalive')
      expect(api.text).toContain('event: turn-end')
      // /v1 holds its headers until the model's first event (so that a refusal is still a
      // proper status); that wait must not be cut either. Keep-alives start with the stream.
      expect(openai.status).toBe(200)
      expect(openai.text).toContain('late')
      expect(openai.text).toContain('data: [DONE]')
    },
  },
  {
    name: '4: U+0000 or a lone surrogate in user input is a 400 text_invalid, never 503',
    async run(context) {
      const id = await newConversation(context)
      for (const bad of ['"a\\u0000b"', '"x\\ud800"', '"\\udc00y"']) {
        await expectApiError(
          await post(context, `/api/conversations/${id}/messages`, `{"content":${bad}}`),
          400,
          'text_invalid',
        )
        await expectApiError(
          await post(context, '/api/conversations', `{"title":${bad}}`),
          400,
          'text_invalid',
        )
        const rename = await fetch(`${context.baseUrl}/api/conversations/${id}`, {
          method: 'PATCH',
          headers: json(context.apiKey),
          body: `{"title":${bad}}`,
        })
        await expectApiError(rename, 400, 'text_invalid')
      }
      // Other control characters, a BOM and emoji are text.
      const fine = await post(
        context,
        `/api/conversations/${id}/messages`,
        JSON.stringify({ content: '\ufeffbell \u0007 tab \t esc \u001b 😀' }),
      )
      expect(fine.status).toBe(202)
    },
  },
  {
    name: '4 (UI): U+0000 in a form (htmx or not) is a 400 page or fragment, never 503',
    async run(context) {
      // A browser's guest session: its cookie, the CSRF token of its forms, our own Origin.
      const home = await fetch(`${context.baseUrl}/`, { headers: { Accept: 'text/html' } })
      const cookie = (home.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? ''
      expect(csrf).not.toBe('')
      const form = (path: string, fields: Record<string, string>, htmx: boolean) =>
        fetch(`${context.baseUrl}${path}`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            Cookie: cookie,
            Origin: context.baseUrl,
            Accept: 'text/html',
            'Content-Type': 'application/x-www-form-urlencoded',
            ...(htmx ? { 'HX-Request': 'true' } : {}),
          },
          body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
        })
      // A form is UTF-8 on the wire, where half a surrogate pair cannot be written (it arrives
      // as U+FFFD); U+0000 can.
      for (const bad of ['a\u0000b', 'ends in \u0000']) {
        for (const htmx of [false, true]) {
          const sent = await form('/c', { content: bad }, htmx)
          expect(sent.status).toBe(400)
          expect(sent.headers.get('content-type')).toMatch(/^text\/html/)
          expect(await sent.text()).toContain('text_invalid')
        }
      }
      const good = await form('/c', { content: 'A fine question' }, false)
      expect(good.status).toBe(303)
      const conversation = (good.headers.get('location') ?? '').split('/runs/')[0] ?? ''
      const rename = await form(`${conversation}/rename`, { title: 'nul \u0000' }, true)
      expect(rename.status).toBe(400)
      expect(await rename.text()).toContain('text_invalid')
    },
  },
  {
    name: '5: nesting 100,000 deep is a 400 in each dialect, not a 500',
    async run(context) {
      const deep = nested(100_000)
      await expectOpenAiError(
        await post(
          context,
          '/v1/chat/completions',
          `{"model":"auto","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"t","parameters":{"type":"object","properties":{"x":${deep}}}}}]}`,
        ),
        400,
        'json_too_deep',
      )
      await expectOpenAiError(
        await post(
          context,
          '/v1/chat/completions',
          `{"model":"auto","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"t","arguments":${JSON.stringify(deep)}}}]},{"role":"tool","tool_call_id":"c","content":"ok"}]}`,
        ),
        400,
      )
      await expectAnthropicError(
        await post(
          context,
          '/v1/messages',
          `{"model":"auto","max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_use","id":"t","name":"t","input":{"x":${deep}}}]}]}`,
        ),
        400,
      )
      await expectApiError(
        await post(context, '/api/conversations', `{"title":"t","x":${nested(1000)}}`),
        400,
        'json_too_deep',
      )
    },
  },
  {
    name: '6: a request larger than every context window is a 400 in each dialect',
    async run(context) {
      const huge = 'word '.repeat(40_000)
      await expectOpenAiError(
        await post(
          context,
          '/v1/chat/completions',
          JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: huge }] }),
        ),
        400,
        'context_length_exceeded',
      )
      await expectAnthropicError(
        await post(
          context,
          '/v1/messages',
          JSON.stringify({
            model: 'auto',
            max_tokens: 5,
            messages: [{ role: 'user', content: huge }],
          }),
        ),
        400,
      )
    },
  },
  {
    name: '7: gzip bodies are 415; top_p 2, 1,000 stop sequences, 1e400 are 400 in dialect',
    async run(context) {
      for (const encoding of ['gzip', 'br', 'x-unknown']) {
        await expectApiError(
          await post(context, '/api/conversations', '{"title":"x"}', {
            'Content-Encoding': encoding,
          }),
          415,
          'unsupported_encoding',
        )
      }
      await expectOpenAiError(
        await post(
          context,
          '/v1/chat/completions',
          JSON.stringify({ model: 'auto', messages: hello, top_p: 2 }),
        ),
        400,
      )
      await expectOpenAiError(
        await post(
          context,
          '/v1/chat/completions',
          `{"model":"auto","messages":[{"role":"user","content":"hi"}],"temperature":1e400}`,
        ),
        400,
      )
      await expectAnthropicError(
        await post(
          context,
          '/v1/messages',
          JSON.stringify({
            model: 'auto',
            max_tokens: 5,
            messages: hello,
            stop_sequences: Array(1000).fill('x'),
          }),
        ),
        400,
      )
      await expectAnthropicError(
        await post(
          context,
          '/v1/messages',
          JSON.stringify({ model: 'auto', max_tokens: 5, messages: hello, top_p: 2 }),
        ),
        400,
      )
    },
  },
  {
    name: '7: Last-Event-ID is decimal only (0x10 is not 16); many tiny reconnects are fine',
    async run(context) {
      const id = await newConversation(context)
      const sent = await post(context, `/api/conversations/${id}/messages`, '{"content":"hi"}')
      const { run_id } = (await sent.json()) as { run_id: string }
      await waitForRunEnd(context, run_id)
      const eventsUrl = `${context.baseUrl}/api/runs/${run_id}/events`
      const all = await (await fetch(eventsUrl, { headers: json(context.apiKey) })).text()
      for (const odd of ['0x10', '1e1', '+1', '-5', '9'.repeat(400)]) {
        const text = await (
          await fetch(eventsUrl, { headers: json(context.apiKey, { 'Last-Event-ID': odd }) })
        ).text()
        expect(text).toBe(all)
      }
      const reconnects = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          fetch(eventsUrl, {
            headers: json(context.apiKey, { 'Last-Event-ID': String(i % 5) }),
          }).then(async (r) => {
            await r.text()
            return r.status
          }),
        ),
      )
      expect(reconnects.every((status) => status === 200)).toBe(true)
    },
  },
  {
    name: 'next: array bombs, overlong numbers and huge headers get a 4xx, never a 5xx',
    async run(context) {
      const bomb = `{"model":"auto","messages":[${Array(100_000).fill('[]').join(',')}]}`
      await expectOpenAiError(await post(context, '/v1/chat/completions', bomb), 400)
      await expectOpenAiError(
        await post(
          context,
          '/v1/chat/completions',
          `{"model":"auto","messages":[{"role":"user","content":"hi"}],"max_tokens":${'9'.repeat(5000)}}`,
        ),
        400,
      )
      const bigHeader = await rawExchange(
        context.baseUrl,
        `GET /healthz HTTP/1.1\nHost: x\nX-Big: ${'a'.repeat(200_000)}\nConnection: close`,
      ).catch(() => ({ status: 0 }))
      // Refused (431/400/413) or the connection dropped: anything but a server error.
      expect(bigHeader.status < 500).toBe(true)
      const longId = await fetch(`${context.baseUrl}/healthz`, {
        headers: { 'X-Request-Id': 'b'.repeat(5000) },
      })
      expect(longId.status).toBe(200)
      expect(longId.headers.get('X-Request-Id')).not.toBe('b'.repeat(5000))
    },
  },
]
