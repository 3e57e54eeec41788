/**
 * `npm run db:migrate`: applies the drizzle migrations. With DATABASE_URL, to that database
 * (Neon hosts through the Neon WebSocket driver, anything else through node-postgres); the
 * pgvector migrations too when the server offers the extension. Without it, to the embedded
 * PGlite database under DATA_DIR (default `.data`), except on Deno Deploy (its pre-deploy
 * command, see deno.json), where there is nothing to migrate without DATABASE_URL.
 */
import { connectDatabase } from '../src/runtime/connect-database.ts'
import { openEmbeddedDatabase } from '../src/runtime/embedded-database.ts'
import { migrateDatabase } from '../src/runtime/migrate-database.ts'

const url = process.env.DATABASE_URL
// Deno Deploy runs this as its pre-deploy command; without a database there is nothing to
// migrate, and an embedded one would only live in that build's sandbox.
const onDenoDeploy = process.env.DENO_DEPLOY === 'true' || process.env.DENO_DEPLOYMENT_ID
if (!url && onDenoDeploy) {
  console.log('no DATABASE_URL on Deno Deploy: nothing to migrate (history stays in memory)')
} else if (url) {
  const { db, driver, close } = await connectDatabase(url, { max: 1 })
  try {
    const { vector } = await migrateDatabase(db)
    const where = new URL(url)
    console.log(
      `migrated ${where.hostname}${where.pathname} via ${driver} (pgvector ${vector ? 'yes' : 'no'})`,
    )
  } finally {
    await close()
  }
} else {
  const database = await openEmbeddedDatabase({ dataDir: process.env.DATA_DIR ?? '.data' })
  console.log(`migrated the embedded database at ${database.path} (pgvector yes)`)
  await database.close()
}
