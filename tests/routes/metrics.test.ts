import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { parseConfig } from '../../src/core/config.ts'
import { createServices } from '../../src/core/services.ts'
import { type ApiApp, createApiApp, readSse } from '../support/api-app.ts'
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
    expect(value(after, ops) - value(before, ops)).toBe(2)
    const ttft = `outpost_model_time_to_first_token_seconds_count{provider="demo",model="${model}"}`
    expect(value(after, ttft) - value(before, ttft)).toBe(2)
    const tool = 'outpost_tool_calls_total{tool="calculator",outcome="ok"}'
    expect(value(after, tool) - value(before, tool)).toBe(1)
    expect(value(after, 'outpost_active_runs')).toBe(0)
    expect(value(after, 'outpost_open_connections{kind="sse"}')).toBe(0)
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
