import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const fileName = 'session-secret'

/**
 * The session secret kept at `<dataDir>/session-secret` (mode 0600), generated on first use, so
 * guest cookies stay valid across restarts when SESSION_SECRET is unset.
 */
export async function loadSessionSecret(dataDir: string): Promise<string> {
  const path = join(dataDir, fileName)
  const existing = await readFile(path, 'utf8').catch(() => '')
  if (existing.trim().length >= 32) return existing.trim()
  await mkdir(dataDir, { recursive: true })
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  const secret = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  // `wx` refuses to overwrite: when two processes race, the loser reads the winner's secret.
  try {
    await writeFile(path, secret, { mode: 0o600, flag: 'wx' })
  } catch {
    const raced = (await readFile(path, 'utf8')).trim()
    if (raced.length >= 32) return raced
    await writeFile(path, secret, { mode: 0o600 })
  }
  await chmod(path, 0o600).catch(() => {})
  return secret
}
