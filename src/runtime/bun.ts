import { serveStatic, upgradeWebSocket, websocket } from 'hono/bun'
import { bunProviderFetch } from './bun-provider-fetch.ts'
import { collectWhenIdle } from './collect-when-idle.ts'
import { serve } from './serve.ts'

const env: Record<string, unknown> = { ...process.env }

await serve({
  runtime: 'bun',
  env,
  hasFileSystem: true,
  // Calls to plain-HTTP model servers go over Bun's own sockets (see bun-provider-fetch.ts);
  // with an HTTP proxy set, `fetch`, which honours it, carries them all.
  providerFetch: process.env.HTTP_PROXY || process.env.http_proxy ? undefined : bunProviderFetch(),
  // Streamed answers are written to the socket as they come, with no queue in between.
  directStreams: true,
  staticFiles: serveStatic({ root: './public' }),
  upgradeWebSocket,
  listen: (fetch, config) => {
    // Bun's default idle timeout (10 s) cut streams while a model thinks; heartbeats keep
    // streams busy, so this only frees silent keep-alive sockets.
    let received = 0
    const server = Bun.serve({
      fetch: (request, bun) => {
        received++
        return fetch(request, () => bun.requestIP(request)?.address)
      },
      websocket,
      port: config.PORT,
      hostname: config.HOST,
      idleTimeout: config.IDLE_TIMEOUT_SECONDS,
    })
    // hono/bun's upgrade finds the server at `c.env.server`. It goes on the one bindings object
    // every request shares (the services cache keys on its identity), and not enumerable, so
    // it is never read as configuration or printed.
    Object.defineProperty(env, 'server', { value: server })
    const stopCollecting = collectWhenIdle({
      inFlight: () => server.pendingRequests,
      received: () => received,
      residentBytes: () => process.memoryUsage.rss(),
      collect: () => Bun.gc(true),
    })
    return {
      close: async () => {
        // stop() refuses new connections; in-flight requests run on. Once none is left, close
        // idle keep-alive sockets instead of waiting for their timeout.
        stopCollecting()
        void server.stop()
        while (server.pendingRequests > 0) await new Promise((r) => setTimeout(r, 50))
        await server.stop(true)
      },
    }
  },
  onSignal: (signal, handler) => process.once(signal, handler),
  exit: (code) => process.exit(code),
})
