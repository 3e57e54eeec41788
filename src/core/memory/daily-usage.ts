/** Tokens and cost of one owner's answers by one model on one UTC day. */
export interface DailyUsage {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string
  /** The `provider:model` id that answered (`unknown` when none was recorded). */
  model: string
  inputTokens: number
  outputTokens: number
  /** US dollars at catalog prices (0 when the price was unknown). */
  costUsd: number
  /** How many answers these add up. */
  answers: number
}

/** A time range in milliseconds since epoch: `since` included, `until` excluded. */
export interface UsageRange {
  since: number
  until: number
}

/** The UTC day of a time, as `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** One stored answer, as the aggregation reads it. */
export interface UsageRow {
  createdAt: number
  model?: string
  usage?: { inputTokens: number; outputTokens: number; costUsd?: number }
}

/**
 * Sums answers with usage per day and model, ordered by day then model: the in-memory
 * store's twin of the PostgreSQL `GROUP BY`.
 */
export function sumDailyUsage(rows: Iterable<UsageRow>, range: UsageRange): DailyUsage[] {
  const sums = new Map<string, DailyUsage>()
  for (const row of rows) {
    if (!row.usage || row.createdAt < range.since || row.createdAt >= range.until) continue
    const day = utcDay(row.createdAt)
    const model = row.model ?? 'unknown'
    const key = `${day} ${model}`
    const sum = sums.get(key) ?? {
      day,
      model,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      answers: 0,
    }
    sum.inputTokens += row.usage.inputTokens
    sum.outputTokens += row.usage.outputTokens
    sum.costUsd += row.usage.costUsd ?? 0
    sum.answers += 1
    sums.set(key, sum)
  }
  return [...sums.values()].sort((a, b) =>
    a.day === b.day ? (a.model < b.model ? -1 : 1) : a.day < b.day ? -1 : 1,
  )
}
