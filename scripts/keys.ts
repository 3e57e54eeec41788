/**
 * `npm run keys -- <command>`: API keys for programs, in the app's database (DATABASE_URL, or
 * the embedded PGlite database under DATA_DIR, default `.data`).
 *
 *   create --name NAME [--user ID] [LIMITS]   makes a key and prints its secret, once
 *   update ID [--user ID] LIMITS               changes a key's own limits
 *   list [--user ID]                 the user's keys (prefix, name, created, last used, revoked)
 *   revoke ID                        revokes a key; programs using it get 401 from then on
 *
 * LIMITS override the configured defaults (LIMIT_RPM...) for this key: `--rpm N`, `--tpm N`,
 * `--concurrent N`, `--usd-per-day USD`, `--usd-per-month USD`; `none` drops the key's own
 * value so the default applies again. They take effect on the key's next request.
 *
 * `--user` defaults to `default`; the user is created when missing. Only a SHA-256 hash of the
 * secret is stored: a lost key cannot be shown again, only revoked and replaced.
 *
 * The embedded database allows one process at a time: while the server runs on it, this
 * refuses with exit code 1 and says what to do (stop the server first, or use DATABASE_URL).
 */
import { parseArgs } from 'node:util'
import { createPostgresApiKeyStore } from '../src/core/auth/postgres-api-key-store.ts'
import { parseConfig } from '../src/core/config.ts'
import {
  type LimitName,
  type LimitPolicy,
  limitNames,
  validLimit,
} from '../src/core/limits/limit-policy.ts'
import { createPostgresHistoryStore } from '../src/core/memory/postgres-history-store.ts'
import { EmbeddedDatabaseBusyError } from '../src/runtime/embedded-database-lock.ts'
import { openDatabase } from '../src/runtime/open-database.ts'

const usage =
  'usage: npm run keys -- create --name NAME [--user ID] [--rpm N] [--tpm N] [--concurrent N] [--usd-per-day USD] [--usd-per-month USD] | update ID [--user ID] LIMITS | list [--user ID] | revoke ID'
const limitFlags = {
  rpm: 'rpm',
  tpm: 'tpm',
  concurrent: 'concurrent',
  'usd-per-day': 'usdPerDay',
  'usd-per-month': 'usdPerMonth',
} as const satisfies Record<string, LimitName>

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    user: { type: 'string', default: 'default' },
    rpm: { type: 'string' },
    tpm: { type: 'string' },
    concurrent: { type: 'string' },
    'usd-per-day': { type: 'string' },
    'usd-per-month': { type: 'string' },
  },
})
const [command, id] = positionals
if (!command || !['create', 'update', 'list', 'revoke'].includes(command)) fail(usage)
if (command === 'create' && !values.name?.trim()) fail('create needs --name NAME')
if ((command === 'revoke' || command === 'update') && !id) {
  fail(`${command} needs the key id (see \`list\`)`)
}
const changes = limitChanges()
if (command === 'update' && changes.size === 0) fail('update needs at least one limit flag')

const database = await openDatabase(parseConfig(process.env), { hasFileSystem: true }).catch(
  (error: unknown) => {
    if (error instanceof EmbeddedDatabaseBusyError) fail(`outpost keys: ${error.message}`, 1)
    throw error
  },
)
if (!database) fail('no database: set DATABASE_URL or DATA_DIR')
const keys = createPostgresApiKeyStore({ db: database.db })
const userId = values.user as string
try {
  if (command === 'create') {
    await createPostgresHistoryStore({ db: database.db }).upsertUser({ id: userId })
    const limits = applyChanges({})
    const { key, secret } = await keys.create({
      userId,
      name: (values.name as string).trim(),
      limits,
    })
    console.log(`created key ${key.id} (${key.prefix}…) "${key.name}" for user ${userId}`)
    console.log(`limits: ${describeLimits(key.limits)}`)
    console.log('the secret, shown only now:')
    console.log(secret)
  } else if (command === 'update') {
    const key = (await keys.list(userId)).find((k) => k.id === id)
    if (!key) fail(`no key ${id} for user ${userId} (pass --user)`)
    const limits = applyChanges(key.limits ?? {})
    await keys.setLimits(key.id, limits)
    console.log(`updated ${key.id}: limits ${describeLimits(limits)}`)
  } else if (command === 'list') {
    for (const key of await keys.list(userId)) {
      const revoked = key.revokedAt ? `revoked ${new Date(key.revokedAt).toISOString()}` : 'live'
      const created = new Date(key.createdAt).toISOString()
      const used = key.lastUsedAt ? new Date(key.lastUsedAt).toISOString() : 'never'
      console.log(
        `${key.id}  ${key.prefix}…  ${key.name}  created ${created}  used ${used}  ${revoked}  limits ${describeLimits(key.limits)}`,
      )
    }
  } else if (await keys.revoke(id as string)) {
    console.log(`revoked ${id}`)
  } else {
    process.exitCode = 1
    console.error(`no live key ${id}`)
  }
} finally {
  await database.close()
}

/** The limit flags given: a number to set, or `undefined` (written `none`) to drop. */
function limitChanges(): Map<LimitName, number | undefined> {
  const found = new Map<LimitName, number | undefined>()
  for (const [flag, name] of Object.entries(limitFlags)) {
    const text = values[flag as keyof typeof limitFlags]
    if (text === undefined) continue
    if (text === 'none') {
      found.set(name, undefined)
      continue
    }
    const value = Number(text)
    const whole = name !== 'usdPerDay' && name !== 'usdPerMonth'
    if (text.trim() === '' || !validLimit(value) || (whole && !Number.isInteger(value))) {
      fail(
        `--${flag} takes ${whole ? 'a whole number' : 'a number of dollars'}, 0 or more, or none`,
      )
    }
    found.set(name, value)
  }
  return found
}

function applyChanges(current: LimitPolicy): LimitPolicy {
  const next: LimitPolicy = { ...current }
  for (const [name, value] of changes) {
    if (value === undefined) delete next[name]
    else next[name] = value
  }
  return next
}

function describeLimits(limits: LimitPolicy | undefined): string {
  const set = limitNames.filter((name) => limits?.[name] !== undefined)
  return set.length === 0 ? 'defaults' : set.map((name) => `${name}=${limits?.[name]}`).join(' ')
}

function fail(message: string, code = 2): never {
  console.error(message)
  process.exit(code)
}
