import { execFile } from 'node:child_process'
import { createServer, type Socket } from 'node:net'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..', '..')
const bun = join(root, 'node_modules', '.bin', 'bun')
const driver = join(root, 'tests', 'support', 'bun-transport-driver.ts')

/** One request as the raw server read it. */
interface SeenRequest {
  head: string
  body: string
  /** Which connection it came on (from 1), and its place on that connection (from 1). */
  connection: number
  order: number
}

type Respond = (request: SeenRequest, socket: Socket) => void

/** A raw HTTP/1.1 upstream: reads each request whole, then lets `respond` write anything. */
async function rawUpstream(respond: Respond) {
  const requests: SeenRequest[] = []
  const sockets = new Set<Socket>()
  const closed: number[] = []
  let connections = 0
  const server = createServer((socket) => {
    const connection = ++connections
    sockets.add(socket)
    socket.on('close', () => {
      sockets.delete(socket)
      closed.push(connection)
    })
    socket.on('error', () => {})
    let buffer = Buffer.alloc(0)
    let order = 0
    socket.on('data', (data) => {
      buffer = Buffer.concat([buffer, data])
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n')
        if (end < 0) return
        const head = buffer.subarray(0, end).toString('latin1')
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0)
        if (buffer.length < end + 4 + length) return
        const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8')
        buffer = buffer.subarray(end + 4 + length)
        const request = { head, body, connection, order: ++order }
        requests.push(request)
        respond(request, socket)
      }
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    requests,
    connections: () => connections,
    closed,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => done())
      }),
  }
}

const json = (text: string, extra = '') =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n${extra}\r\n${text}`

/** Runs the calls through the transport under Bun; one outcome per call, then the fallbacks. */
function drive(calls: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  return new Promise((done, fail) => {
    execFile(
      bun,
      [driver, JSON.stringify({ calls })],
      { cwd: root, timeout: 20_000 },
      (error, out) =>
        error
          ? fail(error)
          : done(
              out
                .trim()
                .split('\n')
                .map((line) => JSON.parse(line)),
            ),
    )
  })
}

describe("Bun's socket transport for provider calls", () => {
  let upstream: Awaited<ReturnType<typeof rawUpstream>> | undefined
  afterEach(async () => {
    await upstream?.close()
    upstream = undefined
  })

  it('sends the request as given and reuses one connection for calls one after another', async () => {
    upstream = await rawUpstream((request, socket) =>
      socket.write(json(`{"order":${request.order},"echo":${request.body}}`)),
    )
    const body = JSON.stringify({ content: 'ünïcode ✓' })
    const outcomes = await drive([
      { url: upstream.url, body, headers: { authorization: 'Bearer k' } },
      { url: upstream.url, body },
      { url: upstream.url, body },
    ])
    expect(outcomes.slice(0, 3).map((o) => JSON.parse(o.text as string))).toEqual([
      { order: 1, echo: { content: 'ünïcode ✓' } },
      { order: 2, echo: { content: 'ünïcode ✓' } },
      { order: 3, echo: { content: 'ünïcode ✓' } },
    ])
    expect(upstream.connections()).toBe(1)
    const [first] = upstream.requests
    expect(first?.head).toMatch(/^POST \/v1\/chat\/completions HTTP\/1\.1\r\n/)
    expect(first?.head).toContain(`host: ${new URL(upstream.url).host}`)
    expect(first?.head).toContain('authorization: Bearer k')
    expect(first?.head).toContain(`content-length: ${Buffer.byteLength(body)}`)
    expect(outcomes[3]).toEqual({ fellBack: [] })
  }, 30_000)

  it('reads a chunked stream written a byte at a time, and a body ended by the close', async () => {
    const stream =
      'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n' +
      '8\r\ndata: a\n\r\n9\r\ndata: bc\n\r\n0\r\n\r\n'
    let calls = 0
    upstream = await rawUpstream(async (_request, socket) => {
      if (++calls === 1) {
        for (const byte of Buffer.from(stream)) {
          socket.write(Buffer.from([byte]))
          await new Promise((done) => setImmediate(done))
        }
      } else {
        socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil the close')
      }
    })
    // The third call finds the second's connection closed and opens another.
    const outcomes = await drive([
      { url: upstream.url },
      { url: upstream.url, waitMs: 20 },
      { url: upstream.url },
    ])
    expect(outcomes[0]).toMatchObject({ status: 200, text: 'data: a\ndata: bc\n' })
    expect(outcomes[0]?.headers).toMatchObject({ 'content-type': 'text/event-stream' })
    // The first connection carried the stream and is reused for the second call.
    expect(outcomes[1]).toMatchObject({ status: 200, text: 'until the close' })
    expect(outcomes[2]).toMatchObject({ status: 200, text: 'until the close' })
    expect(upstream.connections()).toBe(2)
  }, 30_000)

  it('sends once more on a fresh connection when a kept-alive one is closed as the request arrives', async () => {
    upstream = await rawUpstream((request, socket) => {
      // The second request on the first connection finds it being closed: nothing answers.
      if (request.connection === 1 && request.order === 2) socket.destroy()
      else socket.write(json(`{"connection":${request.connection}}`))
    })
    const outcomes = await drive([{ url: upstream.url }, { url: upstream.url }])
    expect(outcomes.slice(0, 2).map((o) => o.text)).toEqual([
      '{"connection":1}',
      '{"connection":2}',
    ])
  }, 30_000)

  it('fails, and does not send again, when a connection closes partway through an answer', async () => {
    upstream = await rawUpstream((request, socket) => {
      if (request.order === 1) socket.write(json('{"first":true}'))
      else socket.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"cut')
    })
    const outcomes = await drive([{ url: upstream.url }, { url: upstream.url }])
    expect(outcomes[1]).toEqual({
      error: { name: 'Http1ParseError', message: 'connection closed before the response ended' },
    })
    expect(upstream.requests).toHaveLength(2)
  }, 30_000)

  it('closes the connection when the reader leaves early or the call is aborted', async () => {
    // How many connections the client had closed when each request arrived.
    const closedBefore: number[] = []
    upstream = await rawUpstream((_request, socket) => {
      closedBefore.push(upstream?.closed.length ?? 0)
      // A stream that never ends: only the client can end it.
      socket.write(
        'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n' +
          '8\r\ndata: a\n\r\n',
      )
    })
    const outcomes = await drive([
      { url: upstream.url, read: 'leave' },
      { url: upstream.url, read: 'abort', waitMs: 50 },
      { url: upstream.url, abortAfterMs: 1, read: 'leave', waitMs: 50 },
      { url: upstream.url, read: 'leave', waitMs: 50 },
    ])
    expect(outcomes[0]).toMatchObject({ status: 200, first: 'data: a\n' })
    expect(outcomes[1]).toMatchObject({ first: 'data: a\n', afterAbort: 'error: AbortError' })
    // Each call had a connection of its own, and the client closed each before the next.
    expect(upstream.connections()).toBe(4)
    expect(closedBefore).toEqual([0, 1, 2, 3])
  }, 30_000)

  it('gives an error answer its headers and refuses what it cannot send or read', async () => {
    upstream = await rawUpstream((request, socket) => {
      if (request.body.includes('garbage')) socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n')
      else if (request.body.includes('gzip')) {
        socket.write(json('xx', 'content-encoding: gzip\r\n'))
      } else {
        socket.write(
          'HTTP/1.1 429 Too Many Requests\r\nretry-after: 7\r\nx-request-id: req_1\r\ncontent-length: 2\r\n\r\n{}',
        )
      }
    })
    const outcomes = await drive([
      { url: upstream.url },
      { url: upstream.url, body: '"garbage"' },
      { url: upstream.url, body: '"gzip"' },
      { url: upstream.url, headers: { 'x-injected': 'a\r\nx-evil: 1' } },
      { url: 'https://api.example.invalid/v1/chat/completions' },
    ])
    expect(outcomes[0]).toMatchObject({
      status: 429,
      ok: false,
      headers: { 'retry-after': '7', 'x-request-id': 'req_1' },
      text: '{}',
    })
    expect(outcomes[1]).toMatchObject({ error: { name: 'Http1ParseError' } })
    expect(outcomes[2]).toMatchObject({
      error: { name: 'Http1ParseError', message: 'unsupported content-encoding: gzip' },
    })
    expect(outcomes[3]).toMatchObject({ error: { name: 'TypeError' } })
    // HTTPS goes through the fallback (`fetch`), which brings TLS.
    expect(outcomes[4]).toMatchObject({ text: '{"fallback":true}' })
    expect(outcomes[5]).toEqual({ fellBack: ['https://api.example.invalid/v1/chat/completions'] })
    // The injected header never reached the upstream.
    expect(upstream.requests.some((r) => r.head.includes('x-evil'))).toBe(false)
  }, 30_000)

  it('reads a large body that arrives before its reader asks, and the call after it', async () => {
    const large = 'x'.repeat(3 * 1024 * 1024)
    upstream = await rawUpstream((request, socket) => {
      socket.write(request.order === 1 ? json(large) : json('{"after":true}'))
    })
    const outcomes = await drive([{ url: upstream.url, read: 'late' }, { url: upstream.url }])
    expect(outcomes[0]).toMatchObject({ status: 200, length: large.length })
    expect(outcomes[1]).toMatchObject({ text: '{"after":true}' })
    expect(upstream.connections()).toBe(1)
  }, 30_000)

  it('closes a connection idle for 4 s, before the upstream would', async () => {
    const closedBefore: number[] = []
    upstream = await rawUpstream((_request, socket) => {
      closedBefore.push(upstream?.closed.length ?? 0)
      socket.write(json('{}'))
    })
    const outcomes = await drive([
      { url: upstream.url },
      { url: upstream.url, waitMs: 1000 },
      { url: upstream.url, waitMs: 5000 },
    ])
    expect(outcomes.slice(0, 3).map((o) => o.status)).toEqual([200, 200, 200])
    // Kept across a second of quiet; closed by the client after four.
    expect(upstream.connections()).toBe(2)
    expect(closedBefore).toEqual([0, 0, 1])
  }, 30_000)

  it('fails a call to an upstream that is not listening', async () => {
    upstream = await rawUpstream(() => {})
    const url = upstream.url
    await upstream.close()
    upstream = undefined
    const outcomes = await drive([{ url }])
    expect(outcomes[0]).toHaveProperty('error')
  }, 30_000)
})
