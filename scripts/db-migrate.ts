/**
 * `npm run db:migrate`: applies the drizzle migrations. With DATABASE_URL, to that database
 * (Neon hosts through the Neon WebSocket driver, anything else through node-postgres); the
 * pgvector migrations too when the server offers the extension. Without it, to the embedded
 * PGlite database under DATA_DIR (default `.data`).
 */
import { openEmbeddedDatabase } from '../src/runtime/embedded-database.ts'
import { migrateDatabase } from '../src/runtime/migrate-database.ts'

async function migrateUrl(url: string) {
  if (new URL(url).hostname.endsWith('.neon.tech')) {
    const { Pool, neonConfig } = await import('@neondatabase/serverless')
    const { drizzle } = await import('drizzle-orm/neon-serverless')
    if (typeof WebSocket === 'undefined')
      neonConfig.webSocketConstructor = (await import('ws')).default
    const pool = new Pool({ connectionString: url, max: 1 })
    try {
      return await migrateDatabase(drizzle({ client: pool }))
    } finally {
      await pool.end()
    }
  }
  const { default: pg } = await import('pg')
  const { drizzle } = await import('drizzle-orm/node-postgres')
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  try {
    return await migrateDatabase(drizzle({ client: pool }))
  } finally {
    await pool.end()
  }
}

const url = process.env.DATABASE_URL
if (url) {
  const { vector } = await migrateUrl(url)
  const where = new URL(url)
  console.log(`migrated ${where.hostname}${where.pathname} (pgvector ${vector ? 'yes' : 'no'})`)
} else {
  const database = await openEmbeddedDatabase({ dataDir: process.env.DATA_DIR ?? '.data' })
  console.log(`migrated the embedded database at ${database.path} (pgvector yes)`)
  await database.close()
}
