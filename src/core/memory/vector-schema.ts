import { index, pgTable, text, timestamp, uniqueIndex, vector } from 'drizzle-orm/pg-core'

/** The embedding width the `memories` table holds (the hashing embedder's default). */
export const memoryDimension = 384

/**
 * Semantic memory for pgvector. Kept out of `schema.ts` and migrated from its own folder
 * (`drizzle/vector`, `drizzle.vector.config.ts`) because it needs `CREATE EXTENSION vector`,
 * which a plain PostgreSQL may not have. No foreign keys: the vector store may live in another
 * database than the history.
 */
export const memories = pgTable(
  'memories',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    conversationId: text('conversation_id'),
    /** The user's message a fact was taken from (provenance). */
    messageId: text('message_id'),
    kind: text('kind'),
    /** The normalised text's hash: one owner never holds the same fact twice. */
    hash: text('hash'),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    embedding: vector('embedding', { dimensions: memoryDimension }).notNull(),
  },
  (t) => [
    index('memories_embedding_hnsw_idx').using('hnsw', t.embedding.op('vector_cosine_ops')),
    index('memories_owner_idx').on(t.ownerId, t.conversationId),
    uniqueIndex('memories_owner_hash_idx').on(t.ownerId, t.hash),
  ],
)
