import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadSessionSecret } from '../../src/runtime/session-secret.ts'

describe('loadSessionSecret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-secret-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('generates a secret once, keeps it with mode 0600, and returns it again', async () => {
    const dataDir = join(dir, 'nested', 'data')
    const first = await loadSessionSecret(dataDir)
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(statSync(join(dataDir, 'session-secret')).mode & 0o777).toBe(0o600)
    expect(await loadSessionSecret(dataDir)).toBe(first)
    const racing = await Promise.all([1, 2, 3].map(() => loadSessionSecret(join(dir, 'race'))))
    expect(new Set(racing).size).toBe(1)
  })
})
