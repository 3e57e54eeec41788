import { createApp } from '../app.ts'

/**
 * Cloudflare Workers entry. Bindings arrive as `env` and `waitUntil` is native; static files
 * are served by Workers Assets (`[assets]` in wrangler.toml) before the Worker runs.
 */
const app = createApp({ platform: { runtime: 'workers', hasFileSystem: false } })

export default app
