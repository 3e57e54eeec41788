import { and, asc, cosineDistance, desc, eq, inArray, type SQL, sql } from 'drizzle-orm'
import { StoreError } from '../errors.ts'
import type { PostgresDatabase } from './postgres-history-store.ts'
import { toPostgresStoreError } from './postgres-store-error.ts'
import { memories, memoryDimension } from './vector-schema.ts'
import type {
  VectorFilter,
  VectorMatch,
  VectorMetadata,
  VectorRecord,
  VectorStore,
} from './vector-store.ts'
import { checkFilter } from './vector-store-errors.ts'

/** Options of `createPgVectorStore`. */
export interface PgVectorStoreOptions {
  /** A drizzle database with the vector migrations applied (PGlite, or Neon with pgvector). */
  db: PostgresDatabase
  /** Must match the `memories` table's column, `memoryDimension` (384). */
  dimension: number
}

// Rows per INSERT: a 384-dimension vector is about 4 KB of text, so this stays near 2 MB.
const upsertChunk = 500

/**
 * A `VectorStore` on pgvector through drizzle: the `memories` table, cosine distance with an
 * HNSW index. Scores are `1 - distance / 2`, the same `(1 + cosine) / 2` Upstash reports.
 *
 * The HNSW index is approximate (recall@10 about 0.94 at 100k, see bench/stores/vector.ts)
 * and filters after choosing candidates; when that leaves fewer than `topK` results the query
 * is repeated exactly, so a filter matching few rows never hides matches. Needs no session
 * settings (`hnsw.iterative_scan`), so it works the same over neon-http and pools.
 */
export function createPgVectorStore(options: PgVectorStoreOptions): VectorStore {
  const { db, dimension } = options
  if (dimension !== memoryDimension) {
    throw new StoreError('vector', `pgvector store holds ${memoryDimension} dimensions`, {
      retryable: false,
      code: 'vector_dimension_unsupported',
    })
  }

  async function guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      throw toPostgresStoreError('vector', operation, error)
    }
  }

  function checkDimension(vector: readonly number[]) {
    if (vector.length !== dimension || !vector.every(Number.isFinite)) {
      throw new StoreError('vector', `vectors must have ${dimension} finite numbers`, {
        retryable: false,
        code: 'vector_dimension_mismatch',
      })
    }
  }

  return {
    dimension,

    upsert: (records) =>
      guard('upsert', async () => {
        for (const record of records) checkDimension(record.vector)
        for (let i = 0; i < records.length; i += upsertChunk) {
          const rows = records.slice(i, i + upsertChunk).map(toRow)
          await db
            .insert(memories)
            .values(rows)
            .onConflictDoUpdate({
              target: memories.id,
              set: {
                ownerId: sql`excluded.owner_id`,
                conversationId: sql`excluded.conversation_id`,
                messageId: sql`excluded.message_id`,
                kind: sql`excluded.kind`,
                hash: sql`excluded.hash`,
                text: sql`excluded.text`,
                createdAt: sql`excluded.created_at`,
                embedding: sql`excluded.embedding`,
              },
            })
        }
      }),

    query: (vector, queryOptions) =>
      guard('query', async () => {
        checkDimension(vector)
        const topK = Math.max(1, Math.trunc(queryOptions?.topK ?? 10))
        const filter = matches(checkFilter(queryOptions?.filter))
        const distance = cosineDistance(memories.embedding, [...vector])
        const search = (order: SQL) =>
          db
            .select({ ...resultColumns, distance: sql<number>`${distance}`.mapWith(Number) })
            .from(memories)
            .where(filter)
            .orderBy(asc(order))
            .limit(topK)
        let rows = await search(distance)
        if (rows.length < topK) {
          // The HNSW scan filters after it picks candidates (ef_search of them), so a filter
          // matching a minority of rows can leave it short. An expression the index cannot
          // serve forces the exact plan, which PostgreSQL runs through the owner index.
          rows = await search(sql`(${distance}) + 0`)
        }
        return rows.map(
          ({ distance, ...row }): VectorMatch => ({
            id: row.id,
            score: toScore(distance),
            metadata: toMetadata(row),
          }),
        )
      }),

    list: (listFilter, listOptions) =>
      guard('list', async () => {
        const rows = await db
          .select(resultColumns)
          .from(memories)
          .where(matches(checkFilter(listFilter)))
          .orderBy(desc(memories.createdAt), asc(memories.id))
          .limit(Math.max(1, Math.trunc(listOptions?.limit ?? 500)))
        return rows.map((row): VectorMatch => ({ id: row.id, score: 1, metadata: toMetadata(row) }))
      }),

    delete: (selector) =>
      guard('delete', async () => {
        const where =
          'ids' in selector
            ? inArray(memories.id, [...selector.ids])
            : // Without an owner this would be an unconditioned DELETE of everyone's memories.
              matches(checkFilter(selector.filter))
        if ('ids' in selector && selector.ids.length === 0) return 0
        const deleted = await db.delete(memories).where(where).returning({ id: memories.id })
        return deleted.length
      }),
  }
}

// Everything but the embedding, which callers never need back.
const resultColumns = {
  id: memories.id,
  ownerId: memories.ownerId,
  conversationId: memories.conversationId,
  messageId: memories.messageId,
  kind: memories.kind,
  hash: memories.hash,
  text: memories.text,
  createdAt: memories.createdAt,
}

function matches(filter: VectorFilter): SQL | undefined {
  return and(
    eq(memories.ownerId, filter.owner),
    filter.conversationId === undefined
      ? undefined
      : eq(memories.conversationId, filter.conversationId),
    filter.kind === undefined ? undefined : eq(memories.kind, filter.kind),
  )
}

function toRow(record: VectorRecord): typeof memories.$inferInsert {
  return {
    id: record.id,
    ownerId: record.metadata.owner,
    conversationId: record.metadata.conversationId ?? null,
    messageId: record.metadata.messageId ?? null,
    kind: record.metadata.kind ?? null,
    hash: record.metadata.hash ?? null,
    text: record.metadata.text,
    createdAt: new Date(record.metadata.createdAt),
    embedding: [...record.vector],
  }
}

function toMetadata(row: Omit<typeof memories.$inferSelect, 'embedding'>): VectorMetadata {
  const metadata: VectorMetadata = {
    owner: row.ownerId,
    text: row.text,
    createdAt: row.createdAt.getTime(),
  }
  if (row.conversationId !== null) metadata.conversationId = row.conversationId
  if (row.kind !== null) metadata.kind = row.kind
  if (row.messageId !== null) metadata.messageId = row.messageId
  if (row.hash !== null) metadata.hash = row.hash
  return metadata
}

// A zero vector has no direction: pgvector answers NaN, which ranks as unrelated here.
function toScore(distance: number): number {
  if (!Number.isFinite(distance)) return 0
  return Math.min(1, Math.max(0, 1 - distance / 2))
}
