import { serveStatic } from '@hono/node-server/serve-static'
import { HTTPException } from 'hono/http-exception'
import { describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app.ts'
import { parseConfig } from '../../src/core/config.ts'
import { AppError, StoreError } from '../../src/core/errors.ts'
import type { PostgresDatabase } from '../../src/core/memory/postgres-history-store.ts'
import { createServices, type Services } from '../../src/core/services.ts'
import { createLogger } from '../../src/core/telemetry/logger.ts'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'
import { scenarios } from '../runtime/scenarios.ts'

const platform = { runtime: 'node' as const, hasFileSystem: true }
const maxBodyBytes = 4096
const env = { MAX_BODY_BYTES: String(maxBodyBytes), LOG_LEVEL: 'warn' }

function appWith(services?: (base: Services) => Services) {
  return createApp({
    platform,
    staticFiles: serveStatic({ root: './public' }),
    services: async (config, p) => {
      const base = await createServices(config, p)
      return services ? services(base) : base
    },
  })
}

describe('the shared scenario list, in process', () => {
  const app = appWith()
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      await scenario.run({
        fetch: async (path, init) => app.request(path, init, env, createBackgroundTasks()),
        runtime: 'node',
      })
    })
  }
})

describe('body limit', () => {
  const app = appWith()
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    app.request(
      '/api/ping',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
        duplex: 'half',
      } as RequestInit,
      env,
    )

  it('answers 413 JSON for a body over MAX_BODY_BYTES', async () => {
    const response = await post(JSON.stringify({ message: 'x'.repeat(maxBodyBytes * 2) }))
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({
      error: { code: 'payload_too_large', details: { limit_bytes: maxBodyBytes } },
    })
  })

  it('refuses a declared Content-Length over the limit from the header, before any body is read', async () => {
    const response = await post('{}', { 'Content-Length': String(maxBodyBytes + 1) })
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } })
    const within = await post('{}', { 'Content-Length': '2' })
    expect(within.status).not.toBe(413)
  })

  it('counts streamed bodies that announce no length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024))
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(chunk)
        controller.close()
      },
    })
    const response = await post(stream)
    expect(response.status).toBe(413)
  })
})

describe('GET /readyz', () => {
  it('is 503 with per-check detail when one dependency is down', async () => {
    const app = appWith((base) => ({
      ...base,
      readiness: [
        { name: 'history', kind: 'store', backend: 'neon', check: async () => {} },
        {
          name: 'working-memory',
          kind: 'store',
          backend: 'upstash-redis',
          check: async () => {
            throw new StoreError('kv', 'ECONNREFUSED', { retryable: true })
          },
        },
      ],
    }))
    const response = await app.request('/readyz', {}, env)
    expect(response.status).toBe(503)
    const body = (await response.json()) as { status: string; checks: unknown[] }
    expect(body.status).toBe('not_ready')
    expect(body.checks).toEqual([
      expect.objectContaining({ name: 'history', ok: true }),
      expect.objectContaining({ name: 'working-memory', ok: false, error: 'store_unavailable' }),
    ])
  })

  it('times a hanging dependency out after READY_TIMEOUT_MS', async () => {
    const app = appWith((base) => ({
      ...base,
      readiness: [
        { name: 'slow', kind: 'provider', backend: 'openai', check: () => new Promise(() => {}) },
      ],
    }))
    const response = await app.request('/readyz', {}, { READY_TIMEOUT_MS: '50' })
    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({ checks: [{ name: 'slow', error: 'timeout' }] })
  })
})

describe('invalid configuration', () => {
  const secret = 'tok-3c1d-never-shown'
  const bad = { UPSTASH_REDIS_REST_URL: 'https://r.example', DATABASE_URL: `x://a:${secret}@h/d` }

  it('answers config_invalid as JSON on every configured route, without values', async () => {
    const response = await appWith().request('/readyz', {}, bad)
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(text).not.toContain(secret)
    const body = JSON.parse(text) as { error: { code: string; message: string; details: unknown } }
    expect(body.error.code).toBe('config_invalid')
    expect(body.error.message).toContain('UPSTASH_REDIS_REST_TOKEN')
    expect(body.error.details).toEqual({
      problems: [
        { variable: 'DATABASE_URL', expected: 'a postgres:// or postgresql:// connection string' },
        {
          variable: 'UPSTASH_REDIS_REST_TOKEN',
          expected: 'required when UPSTASH_REDIS_REST_URL is set',
        },
      ],
    })
  })

  it('still answers liveness, which needs no configuration', async () => {
    expect((await appWith().request('/healthz', {}, bad)).status).toBe(200)
  })

  it('recovers once the bindings are fixed (a failed build is not cached)', async () => {
    const app = appWith()
    expect((await app.request('/readyz', {}, bad)).status).toBe(500)
    expect((await app.request('/readyz', {}, env)).status).toBe(200)
  })
})

describe('error mapping', () => {
  const app = appWith()
  app.get('/api/boom', () => {
    throw new Error('db password=hunter2 leaked in a driver message')
  })
  app.get('/boom', () => {
    throw new AppError('store_unavailable', 'internal detail', { status: 503, retryable: true })
  })
  app.get('/api/teapot', () => {
    throw new HTTPException(401, { message: 'Missing credentials' })
  })

  it('hides unknown errors behind a generic 500 and logs them with the request id', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const response = await app.request('/api/boom', { headers: { 'X-Request-Id': 'req-1' } }, env)
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({
      error: { code: 'internal_error', message: 'Internal server error', request_id: 'req-1' },
    })
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/"request_id":"req-1".*"code":"internal_error"/),
    )
    // By code and class name only: driver messages quote SQL, parameters and secrets.
    expect(log).not.toHaveBeenCalledWith(expect.stringContaining('hunter2'))
    expect(log).toHaveBeenCalledWith(expect.stringContaining('"error":"Error"'))
    log.mockRestore()
  })

  it('renders a full page for browsers and a fragment for htmx, with Retry-After when retryable', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const page = await app.request('/boom', { headers: { Accept: 'text/html' } }, env)
    expect(page.status).toBe(503)
    expect(page.headers.get('retry-after')).toBe('1')
    const html = await page.text()
    expect(html).toContain('<html')
    expect(html).toContain('store_unavailable')
    expect(html).not.toContain('internal detail')
    const fragment = await app.request('/boom', { headers: { 'HX-Request': 'true' } }, env)
    const fragmentHtml = await fragment.text()
    expect(fragmentHtml).toMatch(/^<div class="error-notice" role="alert"/)
    log.mockRestore()
  })

  it('maps Hono HTTPExceptions by status', async () => {
    const response = await app.request('/api/teapot', {}, env)
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({
      error: { code: 'unauthorized', message: 'Missing credentials' },
    })
  })

  it('escapes what it echoes into HTML', async () => {
    const response = await app.request(
      '/<script>alert(1)</script>',
      { headers: { Accept: 'text/html' } },
      env,
    )
    const html = await response.text()
    expect(html).not.toContain('<script>alert(1)')
    expect(html).toContain('&lt;script&gt;')
  })
})

describe('services', () => {
  it('are built once per bindings object and shared by concurrent requests', async () => {
    let builds = 0
    const app = createApp({
      platform,
      services: async (config, p) => {
        builds++
        return createServices(config, p)
      },
    })
    const bindings = { ...env }
    await Promise.all(Array.from({ length: 20 }, () => app.request('/readyz', {}, bindings)))
    expect(builds).toBe(1)
  })

  it('hand deferred work to the execution context (waitUntil)', async () => {
    const app = appWith()
    let settled = false
    app.get('/api/defer', (c) => {
      c.var.services.defer(
        new Promise<void>((resolve) =>
          setTimeout(() => {
            settled = true
            resolve()
          }, 5),
        ),
      )
      c.var.services.defer(
        new Promise((_, reject) => setTimeout(() => reject(new Error('logged, not thrown')), 5)),
      )
      return c.json({ ok: true })
    })
    const background = createBackgroundTasks()
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const response = await app.request('/api/defer', {}, env, background)
    expect(response.status).toBe(200)
    expect(background.pending).toBe(2)
    expect(await background.drain(1000)).toBe(0)
    expect(settled).toBe(true)
    expect(log).toHaveBeenCalledWith(expect.stringContaining('background task failed'))
    expect(log).not.toHaveBeenCalledWith(expect.stringContaining('logged, not thrown'))
    log.mockRestore()
  })

  it('describe embedded and edge stores from the configuration', async () => {
    // No query is made while building: a handle with an inert drizzle object is enough.
    const database = { db: {} as PostgresDatabase, backend: 'pglite' as const, hasVector: true }
    const embedded = await createServices(parseConfig({}), {
      ...platform,
      openDatabase: async () => database,
    })
    expect(embedded.stores.map((s) => [s.backend, s.embedded])).toEqual([
      ['in-memory', true],
      ['pglite', true],
      ['pglite-pgvector', true],
    ])
    const workers = await createServices(parseConfig({}), {
      runtime: 'workers',
      hasFileSystem: false,
    })
    expect(workers.stores.every((s) => s.backend === 'in-memory' && s.note)).toBe(true)
    const edge = await createServices(
      parseConfig({
        UPSTASH_REDIS_REST_URL: 'https://r.example',
        UPSTASH_REDIS_REST_TOKEN: 't',
        DATABASE_URL: 'postgres://u:p@h/db',
        UPSTASH_VECTOR_REST_URL: 'https://v.example',
        UPSTASH_VECTOR_REST_TOKEN: 't',
      }),
      { runtime: 'workers', hasFileSystem: false },
    )
    expect(edge.stores.map((s) => [s.backend, s.embedded])).toEqual([
      ['upstash-redis', false],
      ['neon-http', false],
      ['upstash-vector', false],
    ])
  })

  it('check every configured provider for readiness, and none for the demo model', async () => {
    const demo = await createServices(parseConfig({}), platform)
    expect(demo.readiness.filter((c) => c.kind === 'provider')).toEqual([])
    const configured = await createServices(
      parseConfig({ ANTHROPIC_API_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }),
      platform,
    )
    expect(configured.readiness.filter((c) => c.kind === 'provider').map((c) => c.name)).toEqual([
      'provider:anthropic',
      'provider:local',
    ])
  })
})

describe('request log', () => {
  it('counts the wait for services (and the database) in duration_ms', async () => {
    const lines: Record<string, unknown>[] = []
    const app = createApp({
      platform,
      services: async (config, p) => {
        // As on a first start, where building services waits for the embedded database.
        await new Promise((r) => setTimeout(r, 200))
        const base = await createServices(config, p)
        const logger = createLogger({
          level: 'info',
          write: (_level, line) => lines.push(JSON.parse(line)),
        })
        return { ...base, logger }
      },
    })
    const response = await app.request(
      '/api/ping',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: 'hi' }),
      },
      env,
    )
    expect(response.status).toBe(200)
    const record = lines.find((line) => line.message === 'request')
    expect(record).toMatchObject({ path: '/api/ping', status: 200 })
    expect(record?.duration_ms).toBeGreaterThanOrEqual(190)
  })
})
