import { and, eq, gte, isNotNull, lt, or, sql } from 'drizzle-orm'
import type { DailyUsage, UsageRange } from './daily-usage.ts'
import type { PostgresDatabase } from './postgres-history-store.ts'
import { messages } from './schema.ts'

/**
 * The owner's assistant answers with usage, summed per UTC day and model in one `GROUP BY`
 * (served by the `messages_owner_time_idx` index), ordered by day then model.
 */
export async function queryDailyUsage(
  db: PostgresDatabase,
  ownerId: string,
  range: UsageRange,
): Promise<DailyUsage[]> {
  const day = sql<string>`to_char(${messages.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`
  const model = sql<string>`coalesce(${messages.model}, 'unknown')`
  const rows = await db
    .select({
      day,
      model,
      inputTokens: sql<number>`coalesce(sum(${messages.inputTokens}), 0)::float8`,
      outputTokens: sql<number>`coalesce(sum(${messages.outputTokens}), 0)::float8`,
      costUsd: sql<number>`coalesce(sum(${messages.costUsd}), 0)::float8`,
      answers: sql<number>`count(*)::int`,
    })
    .from(messages)
    .where(
      and(
        eq(messages.ownerId, ownerId),
        gte(messages.createdAt, new Date(range.since)),
        lt(messages.createdAt, new Date(range.until)),
        or(isNotNull(messages.inputTokens), isNotNull(messages.outputTokens)),
      ),
    )
    .groupBy(day, model)
    .orderBy(day, model)
  return rows.map((row) => ({
    day: row.day,
    model: row.model,
    inputTokens: Number(row.inputTokens),
    outputTokens: Number(row.outputTokens),
    costUsd: Number(row.costUsd),
    answers: Number(row.answers),
  }))
}
