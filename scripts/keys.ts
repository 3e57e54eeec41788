/**
 * `npm run keys -- <command>`: API keys for programs, in the app's database (DATABASE_URL, or
 * the embedded PGlite database under DATA_DIR, default `.data`).
 *
 *   create --name NAME [--user ID]   makes a key and prints its secret, once
 *   list [--user ID]                 the user's keys (prefix, name, created, last used, revoked)
 *   revoke ID                        revokes a key; programs using it get 401 from then on
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
import { createPostgresHistoryStore } from '../src/core/memory/postgres-history-store.ts'
import { EmbeddedDatabaseBusyError } from '../src/runtime/embedded-database-lock.ts'
import { openDatabase } from '../src/runtime/open-database.ts'

const usage = 'usage: npm run keys -- create --name NAME [--user ID] | list [--user ID] | revoke ID'

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { name: { type: 'string' }, user: { type: 'string', default: 'default' } },
})
const [command, id] = positionals
if (!command || !['create', 'list', 'revoke'].includes(command)) fail(usage)
if (command === 'create' && !values.name?.trim()) fail('create needs --name NAME')
if (command === 'revoke' && !id) fail('revoke needs the key id (see `list`)')

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
    const { key, secret } = await keys.create({ userId, name: (values.name as string).trim() })
    console.log(`created key ${key.id} (${key.prefix}…) "${key.name}" for user ${userId}`)
    console.log('the secret, shown only now:')
    console.log(secret)
  } else if (command === 'list') {
    for (const key of await keys.list(userId)) {
      const revoked = key.revokedAt ? `revoked ${new Date(key.revokedAt).toISOString()}` : 'live'
      const created = new Date(key.createdAt).toISOString()
      const used = key.lastUsedAt ? new Date(key.lastUsedAt).toISOString() : 'never'
      console.log(
        `${key.id}  ${key.prefix}…  ${key.name}  created ${created}  used ${used}  ${revoked}`,
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

function fail(message: string, code = 2): never {
  console.error(message)
  process.exit(code)
}
