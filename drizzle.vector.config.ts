import { defineConfig } from 'drizzle-kit'

// Run with `npx drizzle-kit generate --config drizzle.vector.config.ts`. The first migration
// starts with `CREATE EXTENSION IF NOT EXISTS vector` (added by hand: drizzle-kit does not
// track extensions).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/core/memory/vector-schema.ts',
  out: './drizzle/vector',
})
