import { createServer, type IncomingMessage, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { SMALL_BODY_BYTES, smallBodiesFirst } from '../../src/runtime/small-bodies-first.ts'

/** What the wrapped listener saw of each request it was handed. */
interface Seen {
  rawBody: Buffer | undefined
  streamed: string
}

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

async function start(maxBytes?: number) {
  const seen: Seen[] = []
  server = createServer(
    smallBodiesFirst(async (req, res) => {
      const rawBody = (req as IncomingMessage & { rawBody?: Buffer }).rawBody
      let streamed = ''
      // Without rawBody the body is still the request's to read, as a stream (unless the
      // test plays an app that refuses it from its header alone).
      if (req.headers['x-refuse'] !== undefined) {
        res.statusCode = 413
        return res.end('too large')
      }
      if (!rawBody) for await (const part of req) streamed += String(part)
      seen.push({ rawBody, streamed })
      res.end('ok')
    }, maxBytes),
  )
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { seen, url: `http://127.0.0.1:${port}/v1/chat/completions` }
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers }).then((r) => r.text())

describe('smallBodiesFirst', () => {
  it('reads a small body whole and hands it on as rawBody', async () => {
    const { seen, url } = await start()
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'héllo 👋' }] })
    expect(await post(url, body)).toBe('ok')
    expect(seen[0]?.rawBody?.toString('utf8')).toBe(body)
  })

  it('leaves a body over the size, or one without a length, to stream', async () => {
    const { seen, url } = await start()
    const large = 'x'.repeat(SMALL_BODY_BYTES + 1)
    expect(await post(url, large)).toBe('ok')
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('piece one, '))
        controller.enqueue(new TextEncoder().encode('piece two'))
        controller.close()
      },
    })
    const answer = await fetch(url, { method: 'POST', body: chunked, duplex: 'half' } as never)
    expect(await answer.text()).toBe('ok')
    expect(seen.map((s) => [s.rawBody, s.streamed])).toEqual([
      [undefined, large],
      [undefined, 'piece one, piece two'],
    ])
  })

  it('hands on at once a request whose announced body is over the limit (refused by header)', async () => {
    const { url } = await start(100)
    const { port } = new URL(url)
    // Only the head is sent: the listener must not wait for a body that never comes.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const asked = request({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/',
        headers: { 'content-length': '5000', 'x-refuse': 'yes' },
      })
      asked.on('response', (response) => {
        response.resume()
        resolve(response.statusCode)
        asked.destroy()
      })
      asked.on('error', reject)
      asked.flushHeaders()
    })
    expect(status).toBe(413)
  })

  it('never hands on a request whose client left mid-body, and keeps serving', async () => {
    const { seen, url } = await start()
    const { port } = new URL(url)
    await new Promise<void>((resolve) => {
      const cut = request({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/',
        headers: { 'content-length': '1000' },
      })
      cut.on('error', () => resolve())
      cut.write('only part of it', () => {
        cut.destroy()
        setTimeout(resolve, 50)
      })
    })
    expect(seen).toHaveLength(0)
    expect(await post(url, '{"next":true}')).toBe('ok')
    expect(seen[0]?.rawBody?.toString()).toBe('{"next":true}')
  })
})
