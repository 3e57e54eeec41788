import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http'
import { serve as serveNode } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { withBufferedBody } from './node-buffered-request.ts'
import { nodeProviderFetch } from './node-provider-fetch.ts'
import { createNodeWebSockets } from './node-websocket.ts'
import { serve } from './serve.ts'
import { SMALL_BODY_BYTES, smallBodiesFirst } from './small-bodies-first.ts'

const webSockets = createNodeWebSockets()

await serve({
  runtime: 'node',
  env: { ...process.env },
  hasFileSystem: true,
  providerFetch: nodeProviderFetch(),
  staticFiles: serveStatic({ root: './public' }),
  upgradeWebSocket: webSockets.upgradeWebSocket,
  listen: (fetch, config) =>
    new Promise((resolve, reject) => {
      const server = serveNode(
        {
          fetch: (request, bindings) =>
            fetch(
              withBufferedBody(request, bindings.incoming, bindings.outgoing),
              () => bindings.incoming.socket.remoteAddress,
            ),
          port: config.PORT,
          hostname: config.HOST,
          // A chat request's body is read whole before the app sees it (see smallBodiesFirst).
          createServer: ((options: ServerOptions, listener: RequestListener) =>
            createServer(
              options,
              smallBodiesFirst(listener, Math.min(SMALL_BODY_BYTES, config.MAX_BODY_BYTES)),
            )) as typeof createServer,
        },
        () =>
          resolve({
            close: () =>
              new Promise<void>((done) => {
                // Keep-alive sockets turn idle as their last response ends; close them as they
                // do, or close() would wait for their timeout.
                const sweep = setInterval(() => {
                  if ('closeIdleConnections' in server) server.closeIdleConnections()
                }, 100)
                server.close(() => {
                  clearInterval(sweep)
                  done()
                })
                if ('closeIdleConnections' in server) server.closeIdleConnections()
              }),
          }),
      )
      // A port in use arrives as an 'error' event; rejecting lets serve() say so in one line.
      server.once('error', reject)
      webSockets.inject(server as Server, fetch)
      // Set on purpose: these bound receiving a request (slow clients), never a streamed answer.
      Object.assign(server, {
        requestTimeout: 60_000,
        headersTimeout: 20_000,
        keepAliveTimeout: 5_000,
      })
    }),
  onSignal: (signal, handler) => process.once(signal, handler),
  exit: (code) => process.exit(code),
})
