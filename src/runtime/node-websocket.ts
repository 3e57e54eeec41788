import type { IncomingMessage, Server } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { createNodeWebSocket } from '@hono/node-ws'
import { type Context, Hono } from 'hono'
import { defineWebSocketHelper, type UpgradeWebSocket } from 'hono/ws'

type Fetch = (request: Request) => Response | Promise<Response>
type UpgradeEnv = { incoming: IncomingMessage; outgoing: undefined }

/** WebSockets on Node, with the app's fetch bound late (the app needs the upgrade first). */
export interface NodeWebSockets {
  upgradeWebSocket: UpgradeWebSocket
  /** Routes the upgrade requests of `server` through `fetch` (the app with its bindings). */
  inject(server: Server, fetch: Fetch): void
}

/**
 * `@hono/node-ws`, minus its `injectWebSocket`, which does not fit this app twice over: it calls
 * `app.request()` with a fresh env per upgrade, while our app must see the one bindings record
 * (config, and the services cache keyed on it) and the background tasks; and it answers a
 * refused upgrade with the status alone, dropping the JSON error body. So `inject` listens for
 * upgrades itself: it builds the request, remembers node-ws's per-upgrade env by that request,
 * and calls the real fetch. When the app upgraded, node-ws's `WebSocketServer` takes the socket
 * over (the same hand-off node-ws makes); otherwise the app's response is written out whole.
 */
export function createNodeWebSockets(): NodeWebSockets {
  const upgrades = new WeakMap<Request, UpgradeEnv>()
  const accepted = new WeakSet<Request>()
  // node-ws wants an app only for the injectWebSocket that we replace.
  const node = createNodeWebSocket({ app: new Hono() })

  const upgradeWebSocket = defineWebSocketHelper((c, events, options) => {
    const env = upgrades.get(c.req.raw)
    // Not from the server's 'upgrade' event (an in-process request): nothing to take over.
    if (!env) return
    accepted.add(c.req.raw)
    // node-ws reads nothing from the context but the request and its env.
    return node.upgradeWebSocket({ req: c.req, env } as unknown as Context, events, options)
  })

  const handle = async (fetch: Fetch, incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
    const headers = new Headers()
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    }
    const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? 'localhost'}`)
    const request = new Request(url, { headers })
    upgrades.set(request, { incoming, outgoing: undefined })
    const response = await fetch(request)
    if (accepted.has(request)) {
      node.wss.handleUpgrade(incoming, socket, head, (ws) =>
        node.wss.emit('connection', ws, incoming),
      )
      return
    }
    const body = Buffer.from(await response.arrayBuffer())
    const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`]
    response.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'connection') lines.push(`${name}: ${value}`)
    })
    lines.push(`Content-Length: ${body.length}`, 'Connection: close', '', '')
    socket.end(Buffer.concat([Buffer.from(lines.join('\r\n')), body]))
  }

  return {
    upgradeWebSocket,
    inject(server, fetch) {
      server.on('upgrade', (incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
        socket.on('error', () => socket.destroy())
        handle(fetch, incoming, socket, head).catch(() => socket.destroy())
      })
    },
  }
}
