import { describe, expect, it } from 'vitest'
import { hashApiKey, newApiKeySecret } from '../../../src/core/auth/api-key-secret.ts'
import { createInMemoryApiKeyStore } from '../../../src/core/auth/in-memory-api-key-store.ts'
import { parseStaticApiKeys, withStaticApiKeys } from '../../../src/core/auth/static-api-keys.ts'
import { createApiApp } from '../../support/api-app.ts'

describe('API keys from API_KEY_HASHES', () => {
  it('verifies configured keys by hash, and still the stored ones', async () => {
    const secret = newApiKeySecret()
    const hash = await hashApiKey(secret)
    const stored = createInMemoryApiKeyStore()
    const keys = withStaticApiKeys(stored, parseStaticApiKeys(` ops:${hash.toUpperCase()} `))
    expect(await keys.verify(secret)).toMatchObject({ userId: 'ops', name: 'configured' })
    expect(await keys.verify(hash)).toBeUndefined()
    const made = await keys.create({ userId: 'ops', name: 'db' })
    expect((await keys.verify(made.secret))?.id).toBe(made.key.id)
    expect((await keys.list('ops')).map((k) => k.name)).toEqual(['configured', 'db'])
    const configuredId = (await keys.list('ops'))[0]!.id
    expect(await keys.revoke(configuredId)).toBe(false)
    expect(await keys.revoke(made.key.id)).toBe(true)
    expect(await keys.verify(made.secret)).toBeUndefined()
  })

  it('lets a program in with the secret whose hash is configured (never the hash itself)', async () => {
    const secret = newApiKeySecret()
    const api = await createApiApp({ API_KEY_HASHES: `robot:${await hashApiKey(secret)}` })
    const ok = await api.fetch('/api/conversations', {
      headers: { Authorization: `Bearer ${secret}` },
    })
    expect(ok.status).toBe(200)
    const hashed = await api.fetch('/api/conversations', {
      headers: { Authorization: `Bearer ${await hashApiKey(secret)}` },
    })
    expect(hashed.status).toBe(401)
  })
})
