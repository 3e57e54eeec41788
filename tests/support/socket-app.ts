import { Hono } from 'hono'
import { createApp } from '../../src/app.ts'
import type { AppEnv } from '../../src/app-env.ts'
import { parseConfig } from '../../src/core/config.ts'
import { createServices } from '../../src/core/services.ts'
import { createOpenSockets } from '../../src/routes/socket/open-sockets.ts'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'
import { createInProcessWebSockets } from './in-process-websocket.ts'

const platform = { runtime: 'node' as const, hasFileSystem: false }

/**
 * The app built from `env` with an in-process WebSocket upgrade, behind a test-only identity:
 * `X-Test-User` becomes the principal (and the user is created), as the real authentication
 * does in front of `/chat`. `connect(user)` opens a socket as that user.
 */
export async function createSocketApp(
  env: Record<string, string>,
  options: { workersStyle?: boolean } = {},
) {
  const services = await createServices(parseConfig(env), platform)
  const sockets = createOpenSockets()
  const background = createBackgroundTasks()
  const webSockets = createInProcessWebSockets(options)
  const app = createApp({
    platform,
    services: async () => services,
    upgradeWebSocket: webSockets.upgradeWebSocket,
    sockets,
  })
  const outer = new Hono<AppEnv>()
  outer.use('/chat', async (c, next) => {
    const user = c.req.header('X-Test-User')
    if (user) {
      await services.memory.history.upsertUser({ id: user })
      c.set('principal', { userId: user, kind: 'guest' })
    }
    await next()
  })
  outer.route('/', app)
  const request = (headers: Record<string, string>) =>
    outer.request('/chat', { headers }, env, background)
  return {
    services,
    sockets,
    background,
    /** A raw upgrade request to `/chat` with these headers. */
    request,
    accept: webSockets.accept,
    connect: async (user: string) =>
      webSockets.accept(await request({ Upgrade: 'websocket', 'X-Test-User': user })),
  }
}
