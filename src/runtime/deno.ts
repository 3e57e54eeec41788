import { serveStatic } from 'hono/deno'
import { serve } from './serve.ts'

await serve({
  runtime: 'deno',
  env: Deno.env.toObject(),
  staticFiles: serveStatic({ root: './public' }),
  listen: (fetch, config) => {
    const server = Deno.serve(
      { port: config.PORT, hostname: config.HOST, onListen: () => {} },
      fetch,
    )
    // shutdown() stops accepting and waits for in-flight responses; aborting would cut them.
    return { close: () => server.shutdown() }
  },
  onSignal: (signal, handler) => Deno.addSignalListener(signal, handler),
  exit: (code) => Deno.exit(code),
})
