import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import type { AgentEvent } from '../../src/core/agent/agent-event.ts'
import { parseConfig } from '../../src/core/config.ts'
import { AppError } from '../../src/core/errors.ts'
import type { GateOutcome, GateStage, StageVerdict } from '../../src/core/gate/gate-stage.ts'
import type { ModelWork } from '../../src/core/gate/model-work.ts'
import type { RequestContext, Surface } from '../../src/core/gate/request-context.ts'
import { createServices, type Services } from '../../src/core/services.ts'
import type { ServerFrame } from '../../src/routes/socket/chat-socket-frames.ts'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'
import { createInProcessWebSockets } from '../support/in-process-websocket.ts'

/**
 * One scenario per surface, through the real app: the gate sees every request for model work
 * with its principal and surface, and a stage's refusal reaches each client in its own
 * dialect. The test stage is registered where production stages are: `createServices`.
 */

const origin = 'http://localhost'
const env = {
  LOG_LEVEL: 'error',
  DEMO_WORD_DELAY_MS: '0',
  SESSION_SECRET: 'test-session-secret-0123456789abcdef',
}
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'

interface Seen {
  context: RequestContext
  work: ModelWork
}

/** A stage that records what it sees, and refuses, answers or lets through as told. */
function spyStage() {
  const seen: Seen[] = []
  const settled: GateOutcome[] = []
  let mode: 'continue' | 'refuse' | 'answer' = 'continue'
  const stage: GateStage = {
    name: 'spy',
    check(context, work): StageVerdict {
      seen.push({ context, work })
      const settle = (outcome: GateOutcome) => {
        settled.push(outcome)
      }
      if (mode === 'refuse') {
        return {
          kind: 'refuse',
          error: new AppError('rate_limited', 'Slow down, says the test stage', {
            status: 429,
            retryable: true,
            retryAfterMs: 7000,
          }),
        }
      }
      if (mode === 'answer') {
        return { kind: 'answer', source: 'test', events: cannedAnswer('From the cache.'), settle }
      }
      return { kind: 'continue', settle }
    },
  }
  return {
    stage,
    seen,
    settled,
    set mode(value: typeof mode) {
      mode = value
    },
    last: () => seen.at(-1) as Seen,
  }
}

async function* cannedAnswer(text: string): AsyncGenerator<AgentEvent> {
  yield { type: 'text-delta', step: 1, text }
  yield {
    type: 'turn-end',
    reason: 'done',
    text,
    model: 'cache:test',
    steps: 1,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
  }
}

let spy: ReturnType<typeof spyStage>
let services: Services
let request: (path: string, init?: RequestInit) => Promise<Response>
let connect: (headers: Record<string, string>) => Promise<ReturnType<typeof accept>>
let accept: ReturnType<typeof createInProcessWebSockets>['accept']
let background: ReturnType<typeof createBackgroundTasks>
let api: { userId: string; secret: string }
let guest: { cookie: string; token: string }
let conversationId: string

beforeAll(async () => {
  spy = spyStage()
  const platform = { runtime: 'node' as const, hasFileSystem: false }
  services = await createServices(parseConfig(env), platform, { stages: [spy.stage] })
  const sockets = createInProcessWebSockets()
  accept = sockets.accept
  const app = createApp({
    platform,
    services: async () => services,
    upgradeWebSocket: sockets.upgradeWebSocket,
  })
  background = createBackgroundTasks()
  request = async (path, init = {}) => app.request(`${origin}${path}`, init, env, background)
  connect = async (headers) => accept(await request('/chat', { headers }))

  const userId = `matrix-${Date.now().toString(36)}`
  await services.memory.history.upsertUser({ id: userId })
  const { secret } = await services.apiKeys.create({ userId, name: 'matrix' })
  api = { userId, secret }
  const conversation = await services.memory.history.createConversation(userId, { title: 'm' })
  conversationId = conversation.id

  const home = await request('/', { headers: { Accept: 'text/html' } })
  guest = {
    cookie: (home.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '',
    token: /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? '',
  }
})

const bearer = () => ({ Authorization: `Bearer ${api.secret}`, traceparent })
const json = (body: unknown) => JSON.stringify(body)

/** Each surface: how to ask it for model work, and what its refusal must look like. */
const surfaces: {
  surface: Surface
  principal: () => { kind: 'guest' | 'api-key'; userId?: string }
  send: () => Promise<Response | ServerFrame>
  accepted: (answer: Response | ServerFrame) => Promise<void> | void
  refused: (answer: Response | ServerFrame) => Promise<void> | void
}[] = [
  {
    surface: 'ui-htmx',
    principal: () => ({ kind: 'guest' }),
    send: () =>
      request('/c', {
        method: 'POST',
        headers: {
          Cookie: guest.cookie,
          Origin: origin,
          'HX-Request': 'true',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ _csrf: guest.token, content: 'hello' }).toString(),
      }),
    accepted: (r) => expect((r as Response).status).toBe(200),
    refused: async (r) => {
      const response = r as Response
      expect(response.status).toBe(429)
      expect(response.headers.get('Retry-After')).toBe('7')
      const html = await response.text()
      expect(html).toMatch(
        /^<div class="error-notice" role="alert" data-error-code="rate_limited">/,
      )
      expect(html).toContain('Slow down, says the test stage')
    },
  },
  {
    surface: 'ui-form',
    principal: () => ({ kind: 'guest' }),
    send: () =>
      request('/c', {
        method: 'POST',
        headers: {
          Cookie: guest.cookie,
          Origin: origin,
          Accept: 'text/html',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ _csrf: guest.token, content: 'hello' }).toString(),
      }),
    accepted: (r) => expect((r as Response).status).toBe(303),
    refused: async (r) => {
      const response = r as Response
      expect(response.status).toBe(429)
      expect(response.headers.get('Retry-After')).toBe('7')
      const html = await response.text()
      expect(html).toContain('<h1 id="error-title">Error 429</h1>')
      expect(html).toContain('data-error-code="rate_limited"')
    },
  },
  {
    surface: 'websocket',
    principal: () => ({ kind: 'api-key', userId: api.userId }),
    send: async () => {
      const socket = await connect({ ...bearer(), Upgrade: 'websocket' })
      socket.send({ type: 'send', conversation_id: conversationId, content: 'hello' })
      const frame = await socket.next((f) => f.type === 'run' || f.type === 'error')
      await socket.close()
      return frame
    },
    accepted: (f) => expect((f as ServerFrame).type).toBe('run'),
    refused: (f) =>
      expect(f).toEqual({
        type: 'error',
        code: 'rate_limited',
        message: 'Slow down, says the test stage',
        request: 'send',
        retry_after: 7,
      }),
  },
  {
    surface: 'rest',
    principal: () => ({ kind: 'api-key', userId: api.userId }),
    send: () =>
      request(`/api/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { ...bearer(), 'Content-Type': 'application/json' },
        body: json({ content: 'hello' }),
      }),
    accepted: (r) => expect((r as Response).status).toBe(202),
    refused: async (r) => {
      const response = r as Response
      expect(response.status).toBe(429)
      expect(response.headers.get('Retry-After')).toBe('7')
      expect(await response.json()).toEqual({
        error: {
          code: 'rate_limited',
          message: 'Slow down, says the test stage',
          request_id: response.headers.get('X-Request-Id'),
        },
      })
    },
  },
  {
    surface: 'openai',
    principal: () => ({ kind: 'api-key', userId: api.userId }),
    send: () =>
      request('/v1/chat/completions', {
        method: 'POST',
        headers: { ...bearer(), 'Content-Type': 'application/json' },
        body: json({ model: 'auto', messages: [{ role: 'user', content: 'hello' }] }),
      }),
    accepted: (r) => expect((r as Response).status).toBe(200),
    refused: async (r) => {
      const response = r as Response
      expect(response.status).toBe(429)
      expect(response.headers.get('Retry-After')).toBe('7')
      expect(await response.json()).toEqual({
        error: {
          message: 'Slow down, says the test stage',
          type: 'rate_limit_error',
          param: null,
          code: 'rate_limited',
        },
      })
    },
  },
  {
    surface: 'anthropic',
    principal: () => ({ kind: 'api-key', userId: api.userId }),
    send: () =>
      request('/v1/messages', {
        method: 'POST',
        headers: { 'x-api-key': api.secret, traceparent, 'Content-Type': 'application/json' },
        body: json({
          model: 'auto',
          max_tokens: 100,
          messages: [{ role: 'user', content: 'hello' }],
        }),
      }),
    accepted: (r) => expect((r as Response).status).toBe(200),
    refused: async (r) => {
      const response = r as Response
      expect(response.status).toBe(429)
      expect(response.headers.get('Retry-After')).toBe('7')
      expect(await response.json()).toEqual({
        type: 'error',
        error: { type: 'rate_limit_error', message: 'Slow down, says the test stage' },
      })
    },
  },
]

describe('the gate on every surface', () => {
  for (const s of surfaces) {
    describe(s.surface, () => {
      it('passes the request through the gate with its principal and surface', async () => {
        spy.mode = 'continue'
        const before = spy.seen.length
        await s.accepted(await s.send())
        expect(spy.seen.length).toBe(before + 1)
        const { context } = spy.last()
        expect(context.surface).toBe(s.surface)
        expect(context.principal).toMatchObject(s.principal())
        expect(context.principal.userId).toBeTruthy()
        expect(context.requestId).toBeTruthy()
        if (s.principal().kind === 'api-key') expect(context.traceparent).toBe(traceparent)
        await background.drain(5000)
        expect(spy.settled.at(-1)).toMatchObject({ kind: 'finished', status: 'completed' })
      })

      it("answers a stage's refusal in the surface's own dialect", async () => {
        spy.mode = 'refuse'
        try {
          await s.refused(await s.send())
        } finally {
          spy.mode = 'continue'
        }
      })
    })
  }
})

describe('a stage that answers', () => {
  it('replaces the model on the OpenAI surface, and the answer is a run with an outcome', async () => {
    spy.mode = 'answer'
    try {
      const response = await request('/v1/chat/completions', {
        method: 'POST',
        headers: { ...bearer(), 'Content-Type': 'application/json' },
        body: json({ model: 'auto', messages: [{ role: 'user', content: 'hello' }] }),
      })
      expect(response.status).toBe(200)
      const body = (await response.json()) as {
        model: string
        choices: { message: { content: string } }[]
      }
      expect(body.choices[0]?.message.content).toBe('From the cache.')
      expect(body.model).toBe('cache:test')
      await background.drain(5000)
      expect(spy.settled.at(-1)).toMatchObject({ kind: 'finished', status: 'completed' })
    } finally {
      spy.mode = 'continue'
    }
  })

  it('replaces the model in a conversation, and the answer is stored like any other', async () => {
    spy.mode = 'answer'
    try {
      const response = await request(`/api/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { ...bearer(), 'Content-Type': 'application/json' },
        body: json({ content: 'hello again' }),
      })
      expect(response.status).toBe(202)
      await background.drain(5000)
      const page = await services.memory.history.listMessages(api.userId, conversationId, {
        order: 'newest-first',
        limit: 1,
      })
      expect(page?.items[0]?.content).toContainEqual({ type: 'text', text: 'From the cache.' })
    } finally {
      spy.mode = 'continue'
    }
  })
})
