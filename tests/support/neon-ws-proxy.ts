import type { IncomingMessage } from 'node:http'
import { connect, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import type { NeonBridgeBackend } from './neon-sql-endpoint.ts'
import { createPgFrontendFramer } from './pg-frontend-framer.ts'

/** The WebSocket-to-TCP half of the Neon bridge (`/v1`, `/v2`). */
export interface NeonWsProxy {
  /** Takes over an HTTP upgrade; returns false when the path is not a proxy path. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean
  /** TCP connections to the backend still open. */
  readonly openTunnels: number
  close(): Promise<void>
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

function target(request: IncomingMessage, backend: NeonBridgeBackend) {
  const url = new URL(request.url ?? '/', 'http://bridge')
  const address = url.searchParams.get('address')
  if (!address) return { host: backend.host, port: backend.port }
  const colon = address.lastIndexOf(':')
  const host = colon > 0 ? address.slice(0, colon) : address
  const port = colon > 0 ? Number(address.slice(colon + 1)) : 5432
  if (!loopbackHosts.has(host) || !Number.isInteger(port) || port <= 0) return undefined
  return { host: host.replace(/^\[|\]$/g, ''), port }
}

/**
 * Pipes binary WebSocket frames to a loopback TCP target and back, buffering client frames
 * until TCP connects. After the client's Terminate message the TCP side is half-closed: the
 * Neon driver never ends its socket itself and relies on the server hanging up, which
 * pglite-socket does not do.
 */
export function createNeonWsProxy(backend: NeonBridgeBackend): NeonWsProxy {
  const server = new WebSocketServer({ noServer: true })
  const sockets = new Set<Socket>()

  server.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    const to = target(request, backend)
    if (!to) {
      ws.close(1008, 'only loopback targets are allowed')
      return
    }
    const framer = createPgFrontendFramer()
    const pending: Buffer[] = []
    let connected = false
    const tcp = connect(to)
    sockets.add(tcp)
    const forward = (data: Buffer) => {
      const terminated = framer.push(data)
      tcp.write(data)
      if (terminated) tcp.end()
    }
    tcp.on('connect', () => {
      connected = true
      for (const data of pending.splice(0)) forward(data)
    })
    tcp.on('data', (data) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(data)
    })
    tcp.on('close', () => {
      sockets.delete(tcp)
      if (ws.readyState === WebSocket.OPEN) ws.close()
    })
    tcp.on('error', () => ws.terminate())
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const chunk = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data)
      if (connected) forward(chunk)
      else pending.push(chunk)
    })
    ws.on('close', () => tcp.end())
    ws.on('error', () => tcp.destroy())
  })

  return {
    upgrade(request, socket, head) {
      const path = new URL(request.url ?? '/', 'http://bridge').pathname
      if (path !== '/v1' && path !== '/v2') return false
      server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request))
      return true
    },
    get openTunnels() {
      return sockets.size
    },
    async close() {
      for (const ws of server.clients) ws.terminate()
      for (const tcp of sockets) tcp.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
