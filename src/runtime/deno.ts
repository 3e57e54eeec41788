import { serveStatic, upgradeWebSocket } from 'hono/deno'
import { serve } from './serve.ts'

await serve({
  runtime: 'deno',
  env: Deno.env.toObject(),
  // Deno Deploy sets DENO_DEPLOYMENT_ID and has no writable disk for embedded stores.
  hasFileSystem: Deno.env.get('DENO_DEPLOYMENT_ID') === undefined,
  staticFiles: serveStatic({ root: './public' }),
  upgradeWebSocket,
  listen: (fetch, config) => {
    const server = Deno.serve(
      { port: config.PORT, hostname: config.HOST, onListen: () => {} },
      (request, info) => fetch(request, () => (info.remoteAddr as Deno.NetAddr).hostname),
    )
    // shutdown() stops accepting and waits for in-flight responses; aborting would cut them.
    return { close: () => server.shutdown() }
  },
  onSignal: (signal, handler) => Deno.addSignalListener(signal, handler),
  exit: (code) => Deno.exit(code),
})
