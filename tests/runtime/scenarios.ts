import { expect } from 'vitest'
import { vendorScriptPath } from '../../src/views/vendor-script.ts'

/** How a scenario reaches the app: over a socket, or in process via `app.request`. */
export type Fetcher = (path: string, init?: RequestInit) => Promise<Response>

export interface ScenarioContext {
  fetch: Fetcher
  /** Which runtime answers (`workers`, `bun`, `deno`, `node`). */
  runtime: string
}

export interface Scenario {
  name: string
  run(context: ScenarioContext): Promise<void>
}

const html = { Accept: 'text/html,application/xhtml+xml' }

async function expectJsonError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await response.json()) as {
    error: { code: string; message: string; request_id: string }
  }
  expect(body.error.code).toBe(code)
  expect(body.error.message).toEqual(expect.any(String))
  expect(body.error.request_id).toBe(response.headers.get('x-request-id'))
  return body
}

/** The scenario list every runtime must pass, unchanged. */
export const scenarios: Scenario[] = [
  {
    name: 'home page is HTML naming the runtime and the stores',
    async run({ fetch, runtime }) {
      const response = await fetch('/', { headers: html })
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      const page = await response.text()
      expect(page).toMatch(/^<!DOCTYPE html>|^<html/i)
      expect(page).toContain(`data-runtime="${runtime}"`)
      expect(page).toContain('working memory')
      expect(page).toContain('conversation history')
    },
  },
  {
    name: 'GET /healthz answers ok',
    async run({ fetch }) {
      const response = await fetch('/healthz')
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ status: 'ok' })
    },
  },
  {
    name: 'GET /readyz reports every check and the runtime',
    async run({ fetch, runtime }) {
      const response = await fetch('/readyz')
      const body = (await response.json()) as {
        status: string
        runtime: string
        checks: Array<{ name: string; ok: boolean }>
        stores: Array<{ concern: string; backend: string }>
      }
      expect(response.status).toBe(body.status === 'ready' ? 200 : 503)
      expect(body.status).toBe('ready')
      expect(body.runtime).toBe(runtime)
      expect(body.checks.every((check) => check.ok)).toBe(true)
      expect(body.stores.map((s) => s.concern)).toEqual([
        'working memory',
        'conversation history',
        'semantic memory',
      ])
    },
  },
  {
    name: 'static files come from public/, htmx included',
    async run({ fetch }) {
      const css = await fetch('/styles.css')
      expect(css.status).toBe(200)
      expect(css.headers.get('content-type')).toMatch(/^text\/css/)
      expect(await css.text()).toContain('Outpost base styles')
      const htmx = await fetch(vendorScriptPath)
      expect(htmx.status).toBe(200)
      expect(htmx.headers.get('content-type')).toMatch(/javascript/)
      expect((await htmx.text()).length).toBeGreaterThan(10_000)
    },
  },
  {
    name: 'unknown API path is a JSON 404',
    async run({ fetch }) {
      await expectJsonError(await fetch('/api/does-not-exist'), 404, 'not_found')
    },
  },
  {
    name: 'unknown page is an HTML 404 for browsers and a fragment for htmx',
    async run({ fetch }) {
      const page = await fetch('/does-not-exist', { headers: html })
      expect(page.status).toBe(404)
      expect(page.headers.get('content-type')).toMatch(/^text\/html/)
      const text = await page.text()
      expect(text).toContain('<html')
      expect(text).toContain('not_found')
      const fragment = await fetch('/does-not-exist', {
        headers: { ...html, 'HX-Request': 'true' },
      })
      expect(fragment.status).toBe(404)
      const fragmentText = await fragment.text()
      expect(fragmentText).not.toContain('<html')
      expect(fragmentText).toContain('role="alert"')
    },
  },
  {
    name: 'wrong method is a JSON 405 with Allow',
    async run({ fetch }) {
      const response = await fetch('/api/ping', { method: 'DELETE' })
      await expectJsonError(response, 405, 'method_not_allowed')
      expect(response.headers.get('allow')).toContain('POST')
    },
  },
  {
    name: 'valid JSON body is accepted',
    async run({ fetch, runtime }) {
      const response = await fetch('/api/ping', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: 'héllo 👋' }),
      })
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ message: 'héllo 👋', runtime })
    },
  },
  {
    name: 'malformed JSON body is a JSON 400',
    async run({ fetch }) {
      const response = await fetch('/api/ping', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"message": ',
      })
      await expectJsonError(response, 400, 'invalid_json')
    },
  },
  {
    name: 'JSON of the wrong shape is a 400 naming the field',
    async run({ fetch }) {
      const response = await fetch('/api/ping', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: 42 }),
      })
      const body = await expectJsonError(response, 400, 'invalid_request')
      expect(JSON.stringify(body)).toContain('"path":"message"')
    },
  },
  {
    name: 'a non-JSON media type is a JSON 415',
    async run({ fetch }) {
      const response = await fetch('/api/ping', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: 'hello',
      })
      await expectJsonError(response, 415, 'unsupported_media_type')
    },
  },
  {
    name: 'SSE stream has exact event/id/data framing and resumes after Last-Event-ID',
    async run({ fetch }) {
      const response = await fetch('/api/ping/stream?count=3&interval_ms=0')
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
      // Field order inside an event is free in the SSE spec; this pins the bytes we emit.
      const frames = (n: number) => `event: ping\ndata: {"seq":${n}}\nid: ${n}\n\n`
      const done = 'event: done\ndata: {"count":3}\n\n'
      expect(await response.text()).toBe(frames(1) + frames(2) + frames(3) + done)
      const resumed = await fetch('/api/ping/stream?count=3&interval_ms=0', {
        headers: { 'Last-Event-ID': '1' },
      })
      expect(await resumed.text()).toBe(frames(2) + frames(3) + done)
    },
  },
  {
    name: 'request id is honoured and echoed, or generated when unsafe',
    async run({ fetch }) {
      const echoed = await fetch('/api/does-not-exist', {
        headers: { 'X-Request-Id': 'trace-42.a' },
      })
      expect(echoed.headers.get('x-request-id')).toBe('trace-42.a')
      expect(((await echoed.json()) as { error: { request_id: string } }).error.request_id).toBe(
        'trace-42.a',
      )
      const unsafe = await fetch('/healthz', { headers: { 'X-Request-Id': 'bad id <script>' } })
      expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    },
  },
  {
    name: 'security headers are present on pages',
    async run({ fetch }) {
      const response = await fetch('/', { headers: html })
      const csp = response.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).not.toContain('unsafe-inline')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(response.headers.get('x-frame-options')).toBe('DENY')
      await response.text()
    },
  },
]
