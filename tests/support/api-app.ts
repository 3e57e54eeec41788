import { createApp } from '../../src/app.ts'
import { parseConfig } from '../../src/core/config.ts'
import { createServices, type Services } from '../../src/core/services.ts'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'

/** The app in process with its services exposed, so a test can make API keys directly. */
export interface ApiApp {
  services: Services
  /** A fetch that reaches the app through `app.request` (for SDKs' `fetch` option). */
  fetch: (url: string | URL | Request, init?: RequestInit) => Promise<Response>
  /** A new user with a fresh API key; returns the secret and the ids. */
  user(label?: string): Promise<{ userId: string; keyId: string; secret: string }>
  background: ReturnType<typeof createBackgroundTasks>
}

let counter = 0

/**
 * Builds the app with in-memory stores (and the given bindings) and a handle on its services;
 * `adjust` may swap some of them (a run log with other timings, say).
 */
export async function createApiApp(
  bindings: Record<string, string> = {},
  adjust: (services: Services) => Services = (services) => services,
): Promise<ApiApp> {
  const env = { DEMO_WORD_DELAY_MS: '0', LOG_LEVEL: 'error', ...bindings }
  const platform = { runtime: 'node' as const, hasFileSystem: false }
  const services = adjust(await createServices(parseConfig(env), platform))
  const app = createApp({ platform, services: async () => services })
  const background = createBackgroundTasks()
  return {
    services,
    background,
    fetch: async (url, init) =>
      app.request(url instanceof Request ? url : String(url), init, env, background),
    async user(label = 'user') {
      const userId = `${label}-${Date.now().toString(36)}-${++counter}`
      await services.memory.history.upsertUser({ id: userId })
      const { key, secret } = await services.apiKeys.create({ userId, name: label })
      return { userId, keyId: key.id, secret }
    },
  }
}

/** Reads an SSE response body into frames (`id`, `event`, `data`). */
export async function readSse(
  response: Response,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<{ id?: string; event?: string; data: string }[]> {
  const frames: { id?: string; event?: string; data: string }[] = []
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  while (frames.length < stopAfter) {
    const { done, value } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    let end = buffer.indexOf('\n\n')
    while (end >= 0 && frames.length < stopAfter) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const frame: { id?: string; event?: string; data: string } = { data: '' }
      for (const line of block.split('\n')) {
        const at = line.indexOf(':')
        const field = line.slice(0, at)
        const value = line.slice(at + 1).replace(/^ /, '')
        if (field === 'id') frame.id = value
        else if (field === 'event') frame.event = value
        else if (field === 'data') frame.data += frame.data ? `\n${value}` : value
      }
      if (block.trim()) frames.push(frame)
      end = buffer.indexOf('\n\n')
    }
  }
  await reader.cancel().catch(() => {})
  return frames
}
