import type { ClientRequest, IncomingMessage } from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ProviderRequest } from '../../src/core/models/provider-fetch.ts'
import { nodeProviderFetch } from '../../src/runtime/node-provider-fetch.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'

const post = (body: unknown, signal = new AbortController().signal): ProviderRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
  body: JSON.stringify(body),
  signal,
})

const okResponse = (text: string) =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: keep-alive\r\n\r\n${text}`

/**
 * A raw HTTP server that answers requests, or closes the connection as one arrives when
 * `reset(n)` says so (`n`: the request's place on its connection, from 1). Closing as the
 * second arrives is what an upstream closing an idle keep-alive socket looks like to a client.
 */
async function rawServer(reset: (n: number) => boolean): Promise<{
  url: string
  connections: () => number
  close: () => Promise<void>
}> {
  const sockets = new Set<Socket>()
  let connections = 0
  const server: Server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    let requests = 0
    socket.on('data', (data) => {
      // Each test request fits one read; count a request per request line.
      requests += data
        .toString()
        .split('\r\n')
        .filter((l) => l.startsWith('POST ')).length
      if (reset(requests)) socket.resetAndDestroy()
      else socket.write(okResponse(`{"n":${connections}}`))
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${address.port}/v1/chat/completions`,
    connections: () => connections,
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => done())
      }),
  }
}

describe("Node's provider transport", () => {
  let mock: MockLlm
  beforeAll(async () => {
    mock = await startMockLlm()
  })
  afterAll(() => mock.close())
  afterEach(() => mock.reset())

  it('sends the JSON body with its length and reads a JSON answer', async () => {
    mock.script({ kind: 'text', text: 'héllo wörld' })
    const transport = nodeProviderFetch()
    const body = { model: 'm', messages: [{ role: 'user', content: 'ünïcode' }] }
    const response = await transport(`${mock.url}/v1/chat/completions`, post(body))
    expect(response.ok).toBe(true)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/json')
    const answer = (await response.json()) as { choices: { message: { content: string } }[] }
    expect(answer.choices[0]?.message.content).toBe('héllo wörld')
    expect(mock.requests[0]?.body).toEqual(body)
    expect(mock.requests[0]?.headers.authorization).toBe('Bearer k')
  })

  it('reuses one kept-alive connection for requests one after another', async () => {
    const server = await rawServer(() => false)
    const transport = nodeProviderFetch()
    for (let i = 0; i < 5; i++)
      expect(await (await transport(server.url, post({}))).json()).toEqual({ n: 1 })
    expect(server.connections()).toBe(1)
    await server.close()
  })

  it('sends a request again, once, when the kept-alive socket it went out on is closed', async () => {
    const server = await rawServer((n) => n > 1)
    const transport = nodeProviderFetch()
    expect(await (await transport(server.url, post({}))).json()).toEqual({ n: 1 })
    // The second request goes out on the first connection, which the server closes: it is
    // answered on a second connection.
    expect(await (await transport(server.url, post({}))).json()).toEqual({ n: 2 })
    expect(server.connections()).toBe(2)
    await server.close()
  })

  it('fails, without sending a third time, when the fresh connection is closed too', async () => {
    let closing = false
    const server = await rawServer(() => closing)
    const transport = nodeProviderFetch()
    expect(await (await transport(server.url, post({}))).json()).toEqual({ n: 1 })
    closing = true
    await expect(transport(server.url, post({}))).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(server.connections()).toBe(2)
    await server.close()
  })

  it('rejects a refused connection', async () => {
    const transport = nodeProviderFetch()
    await expect(transport('http://127.0.0.1:9/v1', post({}))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    })
  })

  it('destroys the message when the reader leaves a stream early', async () => {
    mock.script({ kind: 'text', text: 'a b c d e f g h i j', chunkDelayMs: 20 })
    const transport = nodeProviderFetch()
    const response = await transport(
      `${mock.url}/v1/chat/completions`,
      post({ model: 'm', stream: true, messages: [{ role: 'user', content: 'q' }] }),
    )
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      expect(chunk.byteLength).toBeGreaterThan(0)
      break
    }
    // The request is aborted: its socket is closed, not pooled with the rest of the body unread.
    const message = response.body as IncomingMessage
    expect((message as IncomingMessage & { req: ClientRequest }).req.destroyed).toBe(true)
    expect(message.socket.destroyed).toBe(true)
  })

  it('rejects with an abort error when the signal fires before the answer', async () => {
    mock.script({ kind: 'text', text: 'late', firstByteDelayMs: 1_000 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    const transport = nodeProviderFetch()
    await expect(
      transport(
        `${mock.url}/v1/chat/completions`,
        post({ model: 'm', messages: [] }, controller.signal),
      ),
    ).rejects.toMatchObject({ name: 'AbortError' })
  })
})
