import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { hashApiKey, newApiKeySecret } from '../../src/core/auth/api-key-secret.ts'
import type { RuntimeId } from '../support/runtime-process.ts'

const root = resolve(import.meta.dirname, '..', '..')

/**
 * API keys for a runtime under test, one per user, made the way an operator would. On Bun,
 * Deno and Node `npm run keys -- create` writes them into the embedded database under the
 * runtime's DATA_DIR before the runtime starts. workerd has no disk (its stores are in
 * memory), so there the operator's way is `API_KEY_HASHES`: only the SHA-256 of each secret
 * we keep goes into the bindings.
 */
export async function prepareApiKeys<User extends string>(
  runtime: RuntimeId,
  dataDir: string,
  users: readonly User[],
): Promise<{ secrets: Record<User, string>; vars: Record<string, string> }> {
  const secrets = {} as Record<User, string>
  if (runtime === 'workers' || runtime === 'workerd-bundle') {
    const entries: string[] = []
    for (const user of users) {
      secrets[user] = newApiKeySecret()
      entries.push(`${user}:${await hashApiKey(secrets[user])}`)
    }
    return { secrets, vars: { API_KEY_HASHES: entries.join(',') } }
  }
  for (const user of users) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/keys.ts', 'create', '--name', user, '--user', user],
      { cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } },
    )
    const secret = stdout.trim().split('\n').at(-1) ?? ''
    if (!secret.startsWith('op_')) throw new Error(`npm run keys printed no key:\n${stdout}`)
    secrets[user] = secret
  }
  return { secrets, vars: { DATA_DIR: dataDir } }
}
