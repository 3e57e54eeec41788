import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { hashApiKey, newApiKeySecret } from '../../src/core/auth/api-key-secret.ts'
import { StoreError } from '../../src/core/errors.ts'
import type { PlatformCapabilities } from '../../src/core/platform-capabilities.ts'
import { useMigratedPglite } from '../support/migrated-pglite.ts'

// The embedded database (PGlite) is described by the runtime and opened by the first request
// that needs it: never at start, nor for liveness or a key given in API_KEY_HASHES.
describe('the embedded database, opened on first need', () => {
  const pglite = useMigratedPglite({ vector: true })

  /** A platform whose opener counts its calls and answers only when `release` is called. */
  function observedPlatform(failFirst = false) {
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const observed = { calls: 0, release }
    const platform: PlatformCapabilities = {
      runtime: 'node',
      hasFileSystem: true,
      describeDatabase: () => ({ backend: 'pglite', hasVector: true }),
      openDatabase: async () => {
        observed.calls++
        if (failFirst && observed.calls === 1) {
          throw new StoreError('history', 'cannot open', { retryable: true })
        }
        await gate
        return { db: pglite.db(), backend: 'pglite', hasVector: true }
      },
    }
    return { platform, observed }
  }

  it('is not opened by liveness or a configured key, and once by concurrent first requests', async () => {
    const secret = newApiKeySecret()
    const env = { API_KEY_HASHES: `bench:${await hashApiKey(secret)}`, LOG_LEVEL: 'error' }
    const { platform, observed } = observedPlatform()
    const app = createApp({ platform })

    expect((await app.request('/healthz', {}, env)).status).toBe(200)
    const models = await app.request(
      '/v1/models',
      { headers: { Authorization: `Bearer ${secret}` } },
      env,
    )
    expect(models.status).toBe(200)
    expect(observed.calls).toBe(0)

    // Readiness asks history and semantic memory (two stores over the database), and an
    // unknown key is looked up among the stored ones: all wait for one opening.
    const pending = [
      app.request('/readyz', {}, env),
      app.request('/readyz', {}, env),
      app.request('/v1/models', { headers: { Authorization: 'Bearer op_unknown' } }, env),
    ]
    await new Promise((resolve) => setImmediate(resolve))
    expect(observed.calls).toBe(1)
    observed.release()
    const [first, second, unknown] = await Promise.all(pending)
    expect(first?.status).toBe(200)
    expect(second?.status).toBe(200)
    expect(unknown?.status).toBe(401)
    expect((await app.request('/readyz', {}, env)).status).toBe(200)
    expect(observed.calls).toBe(1)
  })

  it('reports a failed opening to the request that needed it, and opens at the next one', async () => {
    const env = { LOG_LEVEL: 'error' }
    const { platform, observed } = observedPlatform(true)
    observed.release()
    const app = createApp({ platform })

    const failed = await app.request('/readyz', {}, env)
    expect(failed.status).toBe(503)
    const report = (await failed.json()) as { checks: { name: string; status: string }[] }
    expect(report.checks.find((c) => c.name === 'conversation-history')?.status).not.toBe('ok')
    expect(observed.calls).toBe(1)

    expect((await app.request('/readyz', {}, env)).status).toBe(200)
    expect(observed.calls).toBe(2)
  })
})
