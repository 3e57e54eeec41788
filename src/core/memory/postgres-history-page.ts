import { type SQL, sql } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import type { Page, PageRequest } from '../domain/history-records.ts'
import { decodeCursor, encodeCursor } from './history-cursor.ts'

const maxPageSize = 100

/**
 * The page size and the condition "strictly after the cursor" for a list ordered by
 * (time, id), compared as a row so PostgreSQL can walk the matching index.
 */
export function pageBounds(
  kind: string,
  page: PageRequest,
  direction: 'asc' | 'desc',
  [time, id]: [PgColumn, PgColumn],
): { limit: number; after: SQL | undefined } {
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? 20), 1), maxPageSize)
  if (page.cursor === undefined) return { limit, after: undefined }
  const cursor = decodeCursor(kind, page.cursor)
  const at = new Date(cursor.at).toISOString()
  const after =
    direction === 'desc'
      ? sql`(${time}, ${id}) < (${at}::timestamptz, ${cursor.id})`
      : sql`(${time}, ${id}) > (${at}::timestamptz, ${cursor.id})`
  return { limit, after }
}

/** Cuts the `limit + 1` rows read into a page, with a cursor at its last item when more exist. */
export function toPage<T extends { id: string }>(
  kind: string,
  rows: T[],
  limit: number,
  time: (item: T) => number,
): Page<T> {
  if (rows.length <= limit) return { items: rows }
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]!
  return { items, nextCursor: encodeCursor(kind, { at: time(last), id: last.id }) }
}
