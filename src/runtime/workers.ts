import { upgradeWebSocket } from 'hono/cloudflare-workers'
import { createApp } from '../app.ts'

/**
 * Cloudflare Workers entry. Bindings arrive as `env` and `waitUntil` is native; static files
 * are served by Workers Assets (`[assets]` in wrangler.toml) before the Worker runs. There is
 * no shutdown to prepare for: the platform drains isolates itself.
 */
const app = createApp({
  platform: { runtime: 'workers', hasFileSystem: false },
  upgradeWebSocket,
})

export default app
