import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { parseConfig } from '../../src/core/config.ts'
import { createServices } from '../../src/core/services.ts'
import { responseCompression } from '../../src/middleware/response-compression.ts'
import { brotliStream } from '../../src/runtime/brotli-stream.ts'
import { startMockLlm } from '../support/mock-llm/index.ts'

const env = { DEMO_WORD_DELAY_MS: '0', LOG_LEVEL: 'error' }
const platform = { runtime: 'node' as const, hasFileSystem: false }
const services = await createServices(parseConfig(env), platform)
const app = createApp({
  platform,
  services: async () => services,
  staticFiles: serveStatic({ root: './tests/fixtures/static' }),
  compression: { brotli: brotliStream },
})
const get = (path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers }, env)

describe('browser caching of static files', () => {
  it('keeps content-hashed files for a year, immutable', async () => {
    const response = await get('/app.0123abcd4567.js')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await response.text()).toBe('// hashed asset\n')
  })

  it('revalidates other files with an ETag and answers 304 when unchanged', async () => {
    const response = await get('/plain.css')
    expect(response.headers.get('cache-control')).toBe('public, no-cache')
    const etag = response.headers.get('etag')
    expect(etag).toMatch(/^"[\da-f]{32}"$/)
    const again = await get('/plain.css', { 'if-none-match': etag as string })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect(again.headers.get('etag')).toBe(etag)
    // Through compression the tag becomes weak; it still matches.
    const compressed = await get('/plain.css', { 'accept-encoding': 'gzip' })
    const weak = compressed.headers.get('etag') as string
    expect(weak).toBe(`W/${etag}`)
    expect((await get('/plain.css', { 'if-none-match': weak })).status).toBe(304)
    expect((await get('/plain.css', { 'if-none-match': '"other"' })).status).toBe(200)
  })

  it('keeps error responses readable when compressed (a 405 re-rendered after routing)', async () => {
    const response = await get('/healthz', { 'accept-encoding': 'gzip' })
    expect(response.status).toBe(200)
    const wrong = await app.request(
      '/api/ping',
      { method: 'DELETE', headers: { 'accept-encoding': 'gzip', accept: 'application/json' } },
      env,
    )
    expect(wrong.status).toBe(405)
    const bytes = Buffer.from(await wrong.arrayBuffer())
    const text =
      wrong.headers.get('content-encoding') === 'gzip'
        ? gunzipSync(bytes).toString()
        : bytes.toString()
    expect(JSON.parse(text).error.code).toBe('method_not_allowed')
  })

  it('leaves routes alone', async () => {
    const response = await get('/healthz')
    expect(response.headers.get('etag')).toBeNull()
  })

  it('looks for a file only on GET (and HEAD), so an API POST never touches the disk', async () => {
    const seen: string[] = []
    const counted = createApp({
      platform,
      services: async () => services,
      staticFiles: async (c, next) => {
        seen.push(c.req.method)
        return serveStatic({ root: './tests/fixtures/static' })(c, next)
      },
    })
    const head = await counted.request('/plain.css', {}, env)
    expect(head.status).toBe(200)
    const post = await counted.request('/plain.css', { method: 'POST', body: 'x' }, env)
    expect(post.status).not.toBe(200)
    expect(seen).toEqual(['GET'])
  })
})

describe('compression', () => {
  it('sends brotli when accepted, else gzip, else nothing, and says Vary', async () => {
    const plain = await (await get('/plain.css')).text()
    const br = await get('/plain.css', { 'accept-encoding': 'gzip, deflate, br' })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i)
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(plain)
    const gzip = await get('/plain.css', { 'accept-encoding': 'gzip' })
    expect(gzip.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(plain)
    const none = await get('/plain.css', { 'accept-encoding': 'identity' })
    expect(none.headers.get('content-encoding')).toBeNull()
  })

  it('compresses JSON and HTML pages', async () => {
    const json = await get('/openapi.json', { 'accept-encoding': 'gzip' })
    expect(json.headers.get('content-encoding')).toBe('gzip')
    expect(JSON.parse(gunzipSync(Buffer.from(await json.arrayBuffer())).toString())).toHaveProperty(
      'openapi',
    )
    const page = await get('/docs', { 'accept-encoding': 'br' })
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('content-encoding')).toBe('br')
  })

  it('leaves a small completion as it is, and compresses a large one', async () => {
    const mock = await startMockLlm()
    try {
      const modelEnv = { ...env, OPENAI_BASE_URL: `${mock.url}/v1`, LOCAL_MODEL: 'mock-1' }
      const modelServices = await createServices(parseConfig(modelEnv), platform)
      const modelApp = createApp({
        platform,
        services: async () => modelServices,
        compression: { brotli: brotliStream },
      })
      await modelServices.memory.history.upsertUser({ id: 'compression-user' })
      const { secret } = await modelServices.apiKeys.create({
        userId: 'compression-user',
        name: 'c',
      })
      const complete = () =>
        modelApp.request(
          '/v1/chat/completions',
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${secret}`,
              'content-type': 'application/json',
              // What the SDKs send.
              'accept-encoding': 'gzip, deflate, br',
            },
            body: JSON.stringify({
              model: 'local:mock-1',
              messages: [{ role: 'user', content: 'hi' }],
            }),
          },
          modelEnv,
        )
      // A completion of a few hundred bytes is not worth compressing.
      mock.script([
        { kind: 'text', text: 'short answer' },
        { kind: 'text', text: 'long answer '.repeat(300) },
      ])
      const small = await complete()
      expect(small.status).toBe(200)
      expect(small.headers.get('content-encoding')).toBeNull()
      const text = await small.text()
      expect(small.headers.get('content-length')).toBe(String(Buffer.byteLength(text)))
      expect(JSON.parse(text).choices[0].message.content).toBe('short answer')
      const large = await complete()
      expect(large.headers.get('content-encoding')).toBe('br')
      const body = brotliDecompressSync(Buffer.from(await large.arrayBuffer())).toString()
      expect(JSON.parse(body).choices[0].message.content).toBe('long answer '.repeat(300))
    } finally {
      await mock.close()
    }
  })

  it('never holds back an SSE frame: the first arrives before the stream ends', async () => {
    const response = await get('/api/ping/stream?count=3&interval_ms=400', {
      'accept-encoding': 'gzip, br',
    })
    expect(response.headers.get('content-encoding')).toBeNull()
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toContain('event: ping')
    // The stream is still open (two more pings and `done` to come) when the first frame is read.
    expect(first).not.toContain('event: done')
    await reader.cancel()
  })

  it('never compresses streamed HTML marked no-transform', async () => {
    const streamed = new Hono()
    streamed.use(responseCompression({ brotli: brotliStream }))
    let release: () => void = () => {}
    const later = new Promise<void>((resolve) => {
      release = resolve
    })
    streamed.get('/run', () => {
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode(`<p>first words ${'x'.repeat(2000)}</p>`))
          await later
          controller.close()
        },
      })
      return new Response(body, {
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-transform' },
      })
    })
    const response = await streamed.request('/run', { headers: { 'accept-encoding': 'br' } })
    expect(response.headers.get('content-encoding')).toBeNull()
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('first words')
    release()
    await reader.cancel()
  })
})
