import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { StoreError } from '../../src/core/errors.ts'
import { openDatabase } from '../../src/runtime/open-database.ts'

// Nothing listens on port 1: the connection is refused at once, as with a stopped PostgreSQL.
const deadDatabase = 'postgres://postgres@127.0.0.1:1/test'

describe('openDatabase with PostgreSQL down at start-up', () => {
  it('rejects with a retryable store_unavailable StoreError, not a driver error', async () => {
    const opening = openDatabase(
      { DATABASE_URL: deadDatabase } as Parameters<typeof openDatabase>[0],
      { hasFileSystem: false },
    )
    await expect(opening).rejects.toBeInstanceOf(StoreError)
    await expect(opening).rejects.toMatchObject({ code: 'store_unavailable', retryable: true })
  })

  it('makes requests answer 503 store_unavailable with Retry-After, as on Workers', async () => {
    const platform = {
      runtime: 'bun' as const,
      hasFileSystem: false,
      openDatabase: (config: Parameters<typeof openDatabase>[0]) =>
        openDatabase(config, { hasFileSystem: false }),
    }
    const app = createApp({ platform })
    const env = { DATABASE_URL: deadDatabase, LOG_LEVEL: 'error' }
    const response = await app.request('/api/conversations', {}, env)
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('1')
    expect(await response.json()).toMatchObject({ error: { code: 'store_unavailable' } })
  })
})
