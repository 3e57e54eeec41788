import type { Server } from 'node:http'
import { createNodeWebSocket } from '@hono/node-ws'
import { type Context, Hono } from 'hono'
import { defineWebSocketHelper, type UpgradeWebSocket } from 'hono/ws'

type Fetch = (request: Request) => Response | Promise<Response>

/** WebSockets on Node, with the app's fetch bound late (the app needs the upgrade first). */
export interface NodeWebSockets {
  upgradeWebSocket: UpgradeWebSocket
  /** Routes upgrade requests of `server` through `fetch` (the app with its bindings). */
  inject(server: Server, fetch: Fetch): void
}

/**
 * `@hono/node-ws` for an app that receives its bindings per request. node-ws answers upgrades
 * by calling `app.request(url, init, { incoming, outgoing })`, a fresh env per upgrade, while
 * our app must see the one bindings record (config, and the services cache keyed on it) and
 * the background tasks. So node-ws gets a small gateway app that remembers each upgrade's env
 * by its `Request` and forwards to the real fetch; the real app's upgrade hands node-ws that
 * env back, which is all node-ws reads from the context besides the request.
 */
export function createNodeWebSockets(): NodeWebSockets {
  const upgrades = new WeakMap<Request, object>()
  let forward: Fetch = () => new Response(null, { status: 503 })
  const gateway = new Hono().all('*', (c) => {
    upgrades.set(c.req.raw, c.env as object)
    return forward(c.req.raw)
  })
  const node = createNodeWebSocket({ app: gateway })

  const upgradeWebSocket = defineWebSocketHelper((c, events, options) => {
    const env = upgrades.get(c.req.raw)
    // Not from the server's 'upgrade' event (an in-process request): nothing to take over.
    if (!env) return
    return node.upgradeWebSocket({ req: c.req, env } as unknown as Context, events, options)
  })

  return {
    upgradeWebSocket,
    inject(server, fetch) {
      forward = fetch
      node.injectWebSocket(server)
    },
  }
}
