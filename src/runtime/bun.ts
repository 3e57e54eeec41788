import { serveStatic } from 'hono/bun'
import { serve } from './serve.ts'

await serve({
  runtime: 'bun',
  env: { ...process.env },
  hasFileSystem: true,
  staticFiles: serveStatic({ root: './public' }),
  listen: (fetch, config) => {
    const server = Bun.serve({ fetch, port: config.PORT, hostname: config.HOST })
    return {
      close: async () => {
        // stop() refuses new connections; in-flight requests run on. Once none is left, close
        // idle keep-alive sockets instead of waiting for their timeout.
        void server.stop()
        while (server.pendingRequests > 0) await new Promise((r) => setTimeout(r, 50))
        await server.stop(true)
      },
    }
  },
  onSignal: (signal, handler) => process.once(signal, handler),
  exit: (code) => process.exit(code),
})
