import { defineConfig } from 'drizzle-kit'

// History tables only; the pgvector table has its own config (drizzle.vector.config.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/core/memory/schema.ts',
  out: './drizzle/history',
})
