import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { parseConfig } from '../../src/core/config.ts'
import { StoreError } from '../../src/core/errors.ts'
import type { Limiter } from '../../src/core/limits/limiter.ts'
import { createServices } from '../../src/core/services.ts'
import { createBackgroundTasks } from '../../src/runtime/background-tasks.ts'

// A limit store that no longer answers; everything else (run log, history) works.
const down: Limiter = new Proxy({} as Limiter, {
  get: (_target, property) =>
    property === 'backend'
      ? 'down'
      : () => Promise.reject(new StoreError('limits', 'unreachable', { retryable: true })),
})

async function appWith(mode: 'closed' | 'open') {
  const env = {
    LOG_LEVEL: 'error',
    DEMO_WORD_DELAY_MS: '0',
    LIMIT_RPM: '100',
    LIMITS_STORE_DOWN: mode,
    LIMITS_FAIL_OPEN_RPM: '2',
  }
  const platform = { runtime: 'node' as const, hasFileSystem: false }
  const services = await createServices(parseConfig(env), platform, { limiter: down })
  const app = createApp({ platform, services: async () => services })
  const background = createBackgroundTasks()
  await services.memory.history.upsertUser({ id: 'down-user' })
  const { secret } = await services.apiKeys.create({ userId: 'down-user', name: 'down' })
  return () =>
    app.request(
      '/v1/chat/completions',
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }),
      },
      env,
      background,
    )
}

describe('when the limit store is down, through the app', () => {
  it('fails closed by default: 503 limits_unavailable with Retry-After', async () => {
    const complete = await appWith('closed')
    const response = await complete()
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('5')
    const body = (await response.json()) as { error: { code: string } }
    expect(body.error.code).toBe('limits_unavailable')
  })

  it('fails open when configured: admits under the per-isolate cap, then 429', async () => {
    const left = 60_000 - (Date.now() % 60_000)
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50))
    const complete = await appWith('open')
    const statuses = []
    for (let i = 0; i < 3; i++) {
      const response = await complete()
      statuses.push(response.status)
      await response.text()
    }
    expect(statuses).toEqual([200, 200, 429])
  }, 20_000)
})
