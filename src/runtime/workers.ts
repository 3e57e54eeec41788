import { upgradeWebSocket } from 'hono/cloudflare-workers'
import { createApp } from '../app.ts'
import { enableAsyncContext } from './async-context.ts'

/**
 * Cloudflare Workers entry. Bindings arrive as `env` and `waitUntil` is native; static files
 * are served by Workers Assets (`[assets]` in wrangler.toml) before the Worker runs. There is
 * no shutdown to prepare for: the platform drains isolates itself.
 */
enableAsyncContext()

// No socket address reaches a Worker, so `/metrics` needs METRICS_TOKEN there.
const app = createApp({
  platform: { runtime: 'workers', hasFileSystem: false },
  // Cloudflare sets it on every request and overwrites any the client sent.
  clientAddress: (request) => request.headers.get('CF-Connecting-IP') ?? undefined,
  upgradeWebSocket,
})

export default app
