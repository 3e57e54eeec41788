import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { hashApiKey, newApiKeySecret } from '../../src/core/auth/api-key-secret.ts'
import type { RuntimeId } from '../support/runtime-process.ts'

const root = resolve(import.meta.dirname, '..', '..')

/**
 * An API key for a runtime under test, made the way an operator would. On Bun, Deno and Node
 * `npm run keys -- create` writes it into the embedded database under the runtime's DATA_DIR
 * before the runtime starts. workerd has no disk (its stores are in memory), so there the
 * operator's way is `API_KEY_HASHES`: only the SHA-256 of a secret we keep goes into the
 * bindings.
 */
export async function prepareApiKey(
  runtime: RuntimeId,
  dataDir: string,
): Promise<{ secret: string; vars: Record<string, string> }> {
  if (runtime === 'workers') {
    const secret = newApiKeySecret()
    return { secret, vars: { API_KEY_HASHES: `runtime:${await hashApiKey(secret)}` } }
  }
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'scripts/keys.ts', 'create', '--name', 'runtime', '--user', 'runtime'],
    { cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } },
  )
  const secret = stdout.trim().split('\n').at(-1) ?? ''
  if (!secret.startsWith('op_')) throw new Error(`npm run keys printed no key:\n${stdout}`)
  return { secret, vars: { DATA_DIR: dataDir } }
}
