import { expect } from 'vitest'
import { createApp } from '../../src/app.ts'
import { createServices } from '../../src/core/services.ts'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'

export const secret = 'test-session-secret-0123456789abcdef'
export const origin = 'http://localhost'

/** An app with in-memory stores and the demo model; `request` adds the bindings. */
export function setup(vars: Record<string, string> = {}) {
  const app = createApp({
    platform: { runtime: 'node', hasFileSystem: false },
    services: createServices,
  })
  const env = { LOG_LEVEL: 'error', DEMO_WORD_DELAY_MS: '0', SESSION_SECRET: secret, ...vars }
  const background = createBackgroundTasks()
  const request = (path: string, init: RequestInit = {}) =>
    app.request(`${origin}${path}`, init, env, background)
  return { app, request, background }
}

/** A browser: keeps its cookie and reads the CSRF token from the pages it gets. */
export async function browser(request: ReturnType<typeof setup>['request']) {
  const home = await request('/', { headers: { Accept: 'text/html' } })
  const setCookie = home.headers.get('Set-Cookie') ?? ''
  const cookie = setCookie.split(';')[0] ?? ''
  const html = await home.text()
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
  const send = (path: string, init: RequestInit = {}) =>
    request(path, {
      ...init,
      headers: { Accept: 'text/html', Cookie: cookie, ...(init.headers ?? {}) },
    })
  const post = (
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ) =>
    send(path, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: origin,
        ...headers,
      },
      body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    })
  return { home, html, setCookie, cookie, token, send, post }
}

export const runPath = /^\/c\/([^/]+)\/runs\/([^/]+)$/

/** Starts a chat without JavaScript; returns the run page's address and ids. */
export async function startChat(
  guest: Awaited<ReturnType<typeof browser>>,
  content = 'Hello there',
) {
  const response = await guest.post('/c', { content })
  expect(response.status).toBe(303)
  const location = response.headers.get('Location') ?? ''
  const [, conversationId = '', runId = ''] = runPath.exec(location) ?? []
  return { location, conversationId, runId }
}

/** The frames of an event stream: `id:` and the joined `data:` lines. */
export function frames(text: string) {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split('\n')
      const id = lines.find((l) => l.startsWith('id: '))?.slice(4)
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n')
      return { id: id === undefined ? undefined : Number(id), data }
    })
}
