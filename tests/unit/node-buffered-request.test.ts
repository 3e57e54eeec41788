import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { withBufferedBody } from '../../src/runtime/node-buffered-request.ts'
import { smallBodiesFirst } from '../../src/runtime/small-bodies-first.ts'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

/** `app` served as node.ts serves Outpost: small bodies read first, then withBufferedBody. */
async function serve(app: Hono) {
  const listener = getRequestListener((request, bindings) =>
    app.fetch(withBufferedBody(request, bindings.incoming, bindings.outgoing)),
  )
  server = createServer(smallBodiesFirst(listener))
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('withBufferedBody', () => {
  it('reads JSON and text as Request does: UTF-8, a leading BOM dropped, bad bytes replaced', async () => {
    const app = new Hono()
    app.post('/json', async (c) => c.json({ got: await c.req.json() }))
    app.post('/text', async (c) => c.text(await c.req.raw.text()))
    app.post('/bytes', async (c) => c.json([...new Uint8Array(await c.req.raw.arrayBuffer())]))
    const url = await serve(app)
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":"é👋"}')])
    const json = await fetch(`${url}/json`, { method: 'POST', body: bom })
    expect(await json.json()).toEqual({ got: { a: 'é👋' } })
    const broken = new Uint8Array([0x61, 0xff, 0x62])
    const text = await fetch(`${url}/text`, { method: 'POST', body: broken })
    expect(await text.text()).toBe('a\uFFFDb')
    const bytes = await fetch(`${url}/bytes`, { method: 'POST', body: broken })
    expect(await bytes.json()).toEqual([0x61, 0xff, 0x62])
  })

  it('reads a body once, as a Request does, and says so in bodyUsed', async () => {
    const app = new Hono()
    app.post('/', async (c) => {
      const before = c.req.raw.bodyUsed
      // Read from the buffer, not through the adapter's web Request.
      const fromBuffer = Object.hasOwn(c.req.raw, 'text')
      const first = await c.req.raw.text()
      const second = await c.req.raw.text().catch((error: unknown) => (error as Error).name)
      return c.json({ fromBuffer, before, first, second, after: c.req.raw.bodyUsed })
    })
    const url = await serve(app)
    const answer = await fetch(url, { method: 'POST', body: 'hello' })
    expect(await answer.json()).toEqual({
      fromBuffer: true,
      before: false,
      first: 'hello',
      second: 'TypeError',
      after: true,
    })
  })

  it('leaves forms and bodies read as a stream to the real request, with the same bytes', async () => {
    const app = new Hono()
    app.post('/form', async (c) => c.json(await c.req.parseBody()))
    app.post('/stream', async (c) => c.text(await new Response(c.req.raw.body).text()))
    const url = await serve(app)
    const form = await fetch(`${url}/form`, {
      method: 'POST',
      body: new URLSearchParams({ model: 'local:mock-1', text: 'hi' }),
    })
    expect(await form.json()).toEqual({ model: 'local:mock-1', text: 'hi' })
    const stream = await fetch(`${url}/stream`, { method: 'POST', body: 'streamed as it came' })
    expect(await stream.text()).toBe('streamed as it came')
  })

  it('aborts the signal when the client leaves before the answer ends, not after it ends', async () => {
    const signals: AbortSignal[] = []
    let aborted: () => void = () => {}
    const abortSeen = new Promise<void>((resolve) => {
      aborted = resolve
    })
    const app = new Hono()
    app.post('/slow', (c) => {
      const signal = c.req.raw.signal
      signals.push(signal)
      signal.addEventListener('abort', () => aborted())
      // Answers only once the client has gone.
      return new Promise<Response>((resolve) =>
        signal.addEventListener('abort', () => resolve(c.text('late'))),
      )
    })
    app.post('/quick', (c) => {
      signals.push(c.req.raw.signal)
      return c.text('done')
    })
    const url = await serve(app)
    expect(await (await fetch(`${url}/quick`, { method: 'POST', body: '{}' })).text()).toBe('done')

    const leaving = httpRequest(`${url}/slow`, { method: 'POST' })
    leaving.on('error', () => {})
    leaving.end('{}')
    // Gone once the app holds the request.
    while (signals.length < 2) await new Promise((resolve) => setTimeout(resolve, 5))
    leaving.destroy()
    await abortSeen
    expect(signals[1]?.aborted).toBe(true)
    expect(String(signals[1]?.reason)).toContain('prematurely closed')
    expect(signals[0]?.aborted).toBe(false)
  })

  it('leaves a request whose body was not read first as the adapter made it', () => {
    const request = new Request('http://outpost/', { method: 'POST', body: 'streamed' })
    const incoming = { errored: null }
    const outgoing = { once: () => outgoing, writableFinished: false }
    expect(withBufferedBody(request, incoming, outgoing)).toBe(request)
    expect(Object.getOwnPropertyNames(request)).toEqual([])
  })
})
