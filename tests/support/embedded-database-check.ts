/**
 * Run by tests/runtime/embedded-database.test.ts under Node, Bun and Deno:
 * `<runtime> tests/support/embedded-database-check.ts <dataDir>`. Opens the embedded database
 * twice at once (must be one instance), writes a conversation, closes, reopens and reads it
 * back, and runs a pgvector query; prints one JSON line with what it saw.
 */
import { sql } from 'drizzle-orm'
import { createPostgresHistoryStore } from '../../src/core/memory/postgres-history-store.ts'
import { openEmbeddedDatabase } from '../../src/runtime/embedded-database.ts'

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: embedded-database-check.ts <dataDir>')

const [first, second] = await Promise.all([
  openEmbeddedDatabase({ dataDir }),
  openEmbeddedDatabase({ dataDir }),
])
const shared = first === second
const store = createPostgresHistoryStore({ db: first.db })
await store.upsertUser({ id: 'runtime-check' })
const created = await store.createConversation('runtime-check', { title: 'persisted ✓' })
await first.close()

const reopened = await openEmbeddedDatabase({ dataDir })
const again = createPostgresHistoryStore({ db: reopened.db })
const read = await again.getConversation('runtime-check', created.id)
const result = (await reopened.db.execute(
  sql`select '[1,0,0]'::vector <=> '[0,1,0]'::vector as distance`,
)) as { rows: { distance: unknown }[] }
await reopened.close()
console.log(
  JSON.stringify({
    shared,
    title: read?.title,
    distance: Number(result.rows[0]?.distance),
  }),
)
