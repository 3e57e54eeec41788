import { Hono } from 'hono'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import type { AppEnv } from '../../src/app-env.ts'
import { parseConfig } from '../../src/core/config.ts'
import { createServices, type Services } from '../../src/core/services.ts'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'
import { browser, origin, secret } from '../support/chat-browser.ts'
import { createInProcessWebSockets } from '../support/in-process-websocket.ts'

/**
 * Every surface refuses the sixth request of a minute for a caller whose limit is 5, in its
 * own dialect, with `Retry-After` and the IETF `RateLimit` headers. Guests (chat UI) get the
 * configured default (LIMIT_RPM=5); programs get a key made with `rpm: 5` of its own.
 */
const env = {
  LOG_LEVEL: 'error',
  DEMO_WORD_DELAY_MS: '0',
  SESSION_SECRET: secret,
  LIMIT_RPM: '5',
  LIMIT_ADDRESS_PER_MINUTE: '1000',
}
const platform = { runtime: 'node' as const, hasFileSystem: false }

let services: Services
let request: (path: string, init?: RequestInit) => Promise<Response>
let webSockets: ReturnType<typeof createInProcessWebSockets>

beforeAll(async () => {
  services = await createServices(parseConfig(env), platform)
  webSockets = createInProcessWebSockets()
  const app = createApp({
    platform,
    services: async () => services,
    upgradeWebSocket: webSockets.upgradeWebSocket,
  })
  const background = createBackgroundTasks()
  const outer = new Hono<AppEnv>().route('/', app)
  request = async (path, init = {}) => outer.request(`${origin}${path}`, init, env, background)
})

let counter = 0
async function keyWith(limits: { rpm: number }) {
  const userId = `limited-${++counter}-${Date.now().toString(36)}`
  await services.memory.history.upsertUser({ id: userId })
  const { secret } = await services.apiKeys.create({ userId, name: 'limited', limits })
  return secret
}

/** Sends `make()` six times; the first five must pass, the sixth is returned. */
async function sixth(make: () => Response | Promise<Response>, ok: (response: Response) => void) {
  for (let i = 0; i < 5; i++) {
    const response = await make()
    ok(response)
    await response.body?.cancel()
  }
  return make()
}

function expectLimitHeaders(response: Response) {
  expect(response.status).toBe(429)
  const retryAfter = Number(response.headers.get('Retry-After'))
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  expect(retryAfter).toBeLessThanOrEqual(60)
  expect(response.headers.get('RateLimit-Policy')).toBe('"rpm";q=5;w=60')
  expect(response.headers.get('RateLimit')).toBe(`"rpm";r=0;t=${retryAfter}`)
}

describe('a caller limited to 5 requests a minute, on every surface', () => {
  // The sliding window weighs the previous minute's count: six requests that straddle a
  // minute's end would be counted as fewer. Each test starts well inside a minute.
  beforeEach(async () => {
    const left = 60_000 - (Date.now() % 60_000)
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50))
  }, 15_000)

  it('chat UI with htmx: a fragment that says when to try again', async () => {
    const guest = await browser(request)
    const last = await sixth(
      () => guest.post('/c', { content: 'hello' }, { 'HX-Request': 'true' }),
      (r) => expect(r.status).toBe(200),
    )
    expectLimitHeaders(last)
    const html = await last.text()
    expect(html).toContain('data-error-code="rate_limited"')
    expect(html).toMatch(/Try again in \d+ seconds?\./)
    expect(html).not.toContain('<html')
  })

  it('chat UI without JavaScript: a page that says when to try again', async () => {
    const guest = await browser(request)
    const last = await sixth(
      () => guest.post('/c', { content: 'hello' }),
      (r) => expect(r.status).toBe(303),
    )
    expectLimitHeaders(last)
    const html = await last.text()
    expect(html).toContain('<html')
    expect(html).toContain('data-error-code="rate_limited"')
    expect(html).toMatch(/Try again in \d+ seconds?\./)
  })

  it('admitted answers carry the RateLimit headers too', async () => {
    const guest = await browser(request)
    const first = await guest.post('/c', { content: 'hello' })
    expect(first.status).toBe(303)
    expect(first.headers.get('RateLimit-Policy')).toBe('"rpm";q=5;w=60')
    expect(first.headers.get('RateLimit')).toMatch(/^"rpm";r=4;t=\d+$/)
  })

  it('REST: the project JSON error with its code', async () => {
    const key = await keyWith({ rpm: 5 })
    const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }
    const created = await request('/api/conversations', {
      method: 'POST',
      headers,
      body: JSON.stringify({}),
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    const last = await sixth(
      () =>
        request(`/api/conversations/${id}/messages`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ content: 'hello' }),
        }),
      (r) => expect(r.status).toBe(202),
    )
    expectLimitHeaders(last)
    const body = (await last.json()) as { error: { code: string; details: unknown } }
    expect(body.error.code).toBe('rate_limited')
    expect(body.error.details).toEqual({ retry_after_seconds: expect.any(Number) })
  })

  it("OpenAI's /v1/chat/completions: its error shape and x-ratelimit headers", async () => {
    const key = await keyWith({ rpm: 5 })
    const completion = () =>
      request('/v1/chat/completions', {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }),
      })
    const first = await completion()
    expect(first.status).toBe(200)
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('5')
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('4')
    expect(first.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+m)?\d+s$/)
    await first.body?.cancel()
    for (let i = 0; i < 4; i++) await (await completion()).body?.cancel()
    const last = await completion()
    expectLimitHeaders(last)
    expect(last.headers.get('x-ratelimit-remaining-requests')).toBe('0')
    const body = (await last.json()) as { error: { type: string; code: string } }
    expect(body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' })
  })

  it("Anthropic's /v1/messages: rate_limit_error", async () => {
    const key = await keyWith({ rpm: 5 })
    const last = await sixth(
      () =>
        request('/v1/messages', {
          method: 'POST',
          headers: {
            'x-api-key': key,
            'anthropic-version': '2023-06-01',
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({
            model: 'auto',
            max_tokens: 64,
            messages: [{ role: 'user', content: 'hi' }],
          }),
        }),
      (r) => expect(r.status).toBe(200),
    )
    expectLimitHeaders(last)
    expect(await last.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
  })

  it('WebSocket: an error frame with the code and when to try again', async () => {
    const key = await keyWith({ rpm: 5 })
    const socket = webSockets.accept(
      await request('/chat', { headers: { Upgrade: 'websocket', Authorization: `Bearer ${key}` } }),
    )
    for (let i = 0; i < 5; i++) {
      socket.send({ type: 'send', content: 'hello' })
      await socket.next((f) => f.type === 'run')
    }
    socket.send({ type: 'send', content: 'hello' })
    const error = await socket.next((f) => f.type === 'error')
    expect(error).toMatchObject({
      type: 'error',
      code: 'rate_limited',
      request: 'send',
      details: { retry_after_seconds: expect.any(Number) },
    })
    await socket.close()
  })

  it("a key's own limit wins over the configured default", async () => {
    const key = await keyWith({ rpm: 2 })
    const completion = () =>
      request('/v1/chat/completions', {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }),
      })
    expect((await completion()).status).toBe(200)
    expect((await completion()).status).toBe(200)
    const third = await completion()
    expect(third.status).toBe(429)
    expect(third.headers.get('RateLimit-Policy')).toBe('"rpm";q=2;w=60')
  })

  it('GET /api/usage: the period so far and the limits, counting nothing itself', async () => {
    const userId = `usage-${Date.now().toString(36)}`
    await services.memory.history.upsertUser({ id: userId })
    const { secret: key } = await services.apiKeys.create({
      userId,
      name: 'usage',
      limits: { tpm: 50_000, usdPerDay: 2 },
    })
    const headers = { Authorization: `Bearer ${key}` }
    const completion = await request('/v1/chat/completions', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        model: 'auto',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    })
    await completion.text()
    const read = async () => {
      const response = await request('/api/usage', { headers })
      expect(response.status).toBe(200)
      return (await response.json()) as Record<string, { used: number; limit: number | null }>
    }
    await expect.poll(async () => (await read()).tokens_per_minute?.used).toBeGreaterThan(0)
    const usage = await read()
    expect(usage.requests_per_minute).toMatchObject({ used: 1, limit: 5 })
    expect(usage.tokens_per_minute?.limit).toBe(50_000)
    // The demo model is free: spend settles to nothing.
    expect(usage.usd_today).toMatchObject({ used: 0, limit: 2 })
    expect(usage.usd_this_month).toMatchObject({ used: 0, limit: null })
    expect(usage.concurrent_runs).toEqual({ used: 0, limit: null })
    expect((await request('/api/usage')).status).toBe(401)
  })
})
