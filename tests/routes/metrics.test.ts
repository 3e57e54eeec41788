import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { parseConfig } from '../../src/core/config.ts'
import { createServices } from '../../src/core/services.ts'
import { type ApiApp, createApiApp, readSse } from '../support/api-app.ts'
import { startMockLlm } from '../support/mock-llm/index.ts'
import { promtoolAvailable, promtoolCheck } from '../support/promtool.ts'

const token = 'metrics-token-0123456789'
let app: ApiApp

beforeAll(async () => {
  app = await createApiApp({ METRICS_TOKEN: token })
})
afterAll(async () => {
  await app.background.drain(2000)
})

const scrape = async (target: ApiApp = app) => {
  const response = await target.fetch('/metrics', { headers: { Authorization: `Bearer ${token}` } })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4')
  return response.text()
}

/** The value of one series, or 0 when it is absent. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line ? Number(line.slice(series.length + 1)) : 0
}

async function demoTurn(content: string) {
  const { secret } = await app.user('metrics')
  const auth = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }
  const created = await app.fetch('/api/conversations', {
    method: 'POST',
    body: '{}',
    headers: auth,
  })
  const { id } = (await created.json()) as { id: string }
  const sent = await app.fetch(`/api/conversations/${id}/messages`, {
    method: 'POST',
    body: JSON.stringify({ content }),
    headers: auth,
  })
  const { events_url } = (await sent.json()) as { events_url: string }
  await readSse(await app.fetch(events_url, { headers: auth }))
  await app.background.drain(5000)
}

describe('GET /metrics', () => {
  it('wants the token when METRICS_TOKEN is set', async () => {
    expect((await app.fetch('/metrics')).status).toBe(401)
    const wrong = await app.fetch('/metrics', { headers: { Authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('www-authenticate')).toContain('Bearer')
  })

  it('lists every metric, the coming ones included', async () => {
    const text = await scrape()
    for (const name of [
      'outpost_http_request_duration_seconds',
      'outpost_model_operation_duration_seconds',
      'outpost_model_time_to_first_token_seconds',
      'outpost_model_tokens_total',
      'outpost_model_cost_dollars_total',
      'outpost_model_provider_errors_total',
      'outpost_model_fallbacks_total',
      'outpost_tool_calls_total',
      'outpost_active_runs',
      'outpost_open_connections',
      'outpost_cache_requests_total',
      'outpost_guard_verdicts_total',
      'outpost_limit_refusals_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `)
    }
  })

  it('moves its counters as requests are made, by route pattern and status', async () => {
    const series =
      'outpost_http_request_duration_seconds_count{method="GET",route="/api/conversations/:id",status="404"}'
    const before = value(await scrape(), series)
    const { secret } = await app.user('counted')
    for (const id of ['a', 'b', 'c']) {
      await app.fetch(`/api/conversations/${id}`, {
        headers: { Authorization: `Bearer ${secret}` },
      })
    }
    const after = await scrape()
    expect(value(after, series)).toBe(before + 3)
    // The raw paths never become labels.
    expect(after).not.toContain('/api/conversations/a"')
    expect(
      value(
        after,
        'outpost_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}',
      ),
    ).toBe(0)
    await app.fetch('/no/such/page')
    expect(
      value(
        await scrape(),
        'outpost_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}',
      ),
    ).toBe(1)
  })

  it('counts model time, tokens, tool calls and runs of a turn', async () => {
    const before = await scrape()
    await demoTurn('what is 12 * (3 + 4)?')
    const after = await scrape()
    const model = after.match(
      /outpost_model_tokens_total\{model="(demo:[^"]+)",type="input"\}/,
    )?.[1]
    expect(model).toBeDefined()
    const tokens = `outpost_model_tokens_total{model="${model}",type="output"}`
    expect(value(after, tokens)).toBeGreaterThan(value(before, tokens))
    const ops = `outpost_model_operation_duration_seconds_count{provider="demo",model="${model}",outcome="ok"}`
    // The turn's two calls (the tool call, the answer) and the fact extraction after it.
    expect(value(after, ops) - value(before, ops)).toBe(3)
    const ttft = `outpost_model_time_to_first_token_seconds_count{provider="demo",model="${model}"}`
    expect(value(after, ttft) - value(before, ttft)).toBe(3)
    const tool = 'outpost_tool_calls_total{tool="calculator",outcome="ok"}'
    expect(value(after, tool) - value(before, tool)).toBe(1)
    expect(value(after, 'outpost_active_runs')).toBe(0)
    expect(value(after, 'outpost_open_connections{kind="sse"}')).toBe(0)
  })

  it('counts open SSE streams until they end', async () => {
    const open = 'outpost_open_connections{kind="sse"}'
    const { secret } = await app.user('sse')
    const stream = await app.fetch('/api/ping/stream?count=2&interval_ms=50', {
      headers: { Authorization: `Bearer ${secret}` },
    })
    expect(value(await scrape(), open)).toBe(1)
    await stream.text()
    expect(value(await scrape(), open)).toBe(0)
    const cancelled = await app.fetch('/api/ping/stream?count=50&interval_ms=50', {
      headers: { Authorization: `Bearer ${secret}` },
    })
    expect(value(await scrape(), open)).toBe(1)
    await cancelled.body?.cancel()
    expect(value(await scrape(), open)).toBe(0)
  })

  it('counts the text streams of /v1 until they end or the client leaves', async () => {
    const mock = await startMockLlm()
    try {
      const local = await createApiApp({ METRICS_TOKEN: token, OPENAI_BASE_URL: `${mock.url}/v1` })
      const open = 'outpost_open_connections{kind="sse"}'
      const slow = { kind: 'text' as const, text: 'one two three four five six', chunkDelayMs: 20 }
      mock.script([slow, slow])
      const { secret } = await local.user('v1-sse')
      const ask = () =>
        local.fetch('/v1/chat/completions', {
          method: 'POST',
          headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            model: 'local:mock-1',
            stream: true,
            messages: [{ role: 'user', content: 'count' }],
          }),
        })
      const read = await ask()
      expect(value(await scrape(local), open)).toBe(1)
      expect(await read.text()).toContain('[DONE]')
      expect(value(await scrape(local), open)).toBe(0)
      const left = await ask()
      const reader = (left.body as ReadableStream<Uint8Array>).getReader()
      await reader.read()
      expect(value(await scrape(local), open)).toBe(1)
      await reader.cancel()
      expect(value(await scrape(local), open)).toBe(0)
    } finally {
      await mock.close()
    }
  })

  it('counts provider errors and the fallbacks they cause', async () => {
    const mock = await startMockLlm()
    try {
      const local = await createApiApp({
        METRICS_TOKEN: token,
        OPENAI_BASE_URL: `${mock.url}/v1`,
        MODEL_TIERS: 'fast=local:mock-1,local:mock-2;smart=local:mock-1,local:mock-2',
      })
      mock.script({ kind: 'error', status: 500 }, { model: 'mock-1' })
      mock.script({ kind: 'text', text: 'fine' }, { model: 'mock-2' })
      const { secret } = await local.user('fallback')
      const auth = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }
      const created = await local.fetch('/api/conversations', {
        method: 'POST',
        body: '{}',
        headers: auth,
      })
      const { id } = (await created.json()) as { id: string }
      const sent = await local.fetch(`/api/conversations/${id}/messages`, {
        method: 'POST',
        body: JSON.stringify({ content: 'hello', model: 'fast' }),
        headers: { ...auth, Accept: 'text/event-stream' },
      })
      expect(await sent.text()).toContain('event: retry')
      await local.background.drain(5000)
      const text = await scrape(local)
      expect(
        value(text, 'outpost_model_fallbacks_total{from="local:mock-1",to="local:mock-2"}'),
      ).toBe(1)
      expect(text).toMatch(
        /outpost_model_provider_errors_total\{provider="local",code="[a-z_]+"\} 1/,
      )
      expect(
        value(
          text,
          'outpost_model_operation_duration_seconds_count{provider="local",model="local:mock-2",outcome="ok"}',
        ),
      ).toBe(1)
    } finally {
      await mock.close()
    }
  })

  it.skipIf(!promtoolAvailable())('passes promtool check metrics', async () => {
    await demoTurn('hello')
    const verdict = promtoolCheck(await scrape())
    expect(verdict.output).toBe('')
    expect(verdict.ok).toBe(true)
  })
})

describe('GET /metrics without METRICS_TOKEN', () => {
  async function appWithPeer(address: string | undefined) {
    const platform = { runtime: 'node' as const, hasFileSystem: false }
    const services = await createServices(parseConfig({ LOG_LEVEL: 'error' }), platform)
    return createApp({ platform, services: async () => services, remoteAddress: () => address })
  }

  it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1'])('serves the loopback peer %s', async (peer) => {
    const response = await (await appWithPeer(peer)).request('/metrics')
    expect(response.status).toBe(200)
  })

  it.each(['10.0.0.7', '::ffff:192.168.1.2', undefined])('refuses the peer %s', async (peer) => {
    const response = await (await appWithPeer(peer)).request('/metrics', {
      headers: { 'X-Forwarded-For': '127.0.0.1' },
    })
    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({ error: { code: 'metrics_forbidden' } })
  })
})
