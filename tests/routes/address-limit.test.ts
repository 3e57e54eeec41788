import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { createServices } from '../../src/core/services.ts'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'
import { origin, secret } from '../support/chat-browser.ts'

const env = {
  LOG_LEVEL: 'error',
  DEMO_WORD_DELAY_MS: '0',
  SESSION_SECRET: secret,
  LIMIT_ADDRESS_PER_MINUTE: '3',
}

function appFrom(address: (request: Request) => string | undefined) {
  const app = createApp({
    platform: { runtime: 'node', hasFileSystem: false },
    services: createServices,
    clientAddress: address,
  })
  const background = createBackgroundTasks()
  return (path: string, init: RequestInit = {}) =>
    app.request(`${origin}${path}`, init, env, background)
}

describe('new guests per client address', () => {
  it('mints three a minute per address, then refuses with a page that says when', async () => {
    // Well inside a minute, so the sliding window's previous bucket does not blur the count.
    const left = 60_000 - (Date.now() % 60_000)
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50))
    const request = appFrom((r) => r.headers.get('X-Test-Address') ?? undefined)
    const visit = (address: string, cookie?: string) =>
      request('/', {
        headers: {
          Accept: 'text/html',
          'X-Test-Address': address,
          ...(cookie ? { Cookie: cookie } : {}),
        },
      })
    const first = await visit('10.0.0.1')
    const cookie = (first.headers.get('Set-Cookie') ?? '').split(';')[0] ?? ''
    expect(first.status).toBe(200)
    expect((await visit('10.0.0.1')).status).toBe(200)
    expect((await visit('10.0.0.1')).status).toBe(200)
    const refused = await visit('10.0.0.1')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
    expect(refused.headers.get('RateLimit-Policy')).toBe('"rpm";q=3;w=60')
    expect(refused.headers.get('Set-Cookie')).toBeNull()
    expect(await refused.text()).toMatch(/Try again in \d+ seconds?\./)
    // A known guest is not new; another address has its own count.
    expect((await visit('10.0.0.1', cookie)).status).toBe(200)
    expect((await visit('10.0.0.2')).status).toBe(200)
  }, 20_000)
})
