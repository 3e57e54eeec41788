import { type DailyUsage, utcDay } from '../memory/daily-usage.ts'
import type { HistoryStore } from '../memory/history-store.ts'

/** Totals of some answers. */
export interface UsageTotals {
  inputTokens: number
  outputTokens: number
  costUsd: number
  answers: number
}

/** An owner's usage over the last days, ready to draw: every day listed, even empty ones. */
export interface UsageReport {
  /** The UTC days covered, oldest first. */
  days: string[]
  /** The models that answered, by total tokens, largest first. */
  models: string[]
  /** Per day and model (only pairs with answers), oldest day first. */
  rows: DailyUsage[]
  byDay: Map<string, UsageTotals>
  byModel: Map<string, UsageTotals>
  total: UsageTotals
}

const dayMs = 86_400_000

/** The owner's tokens and cost per UTC day and model over the last `days` days, today included. */
export async function usageReport(
  history: Pick<HistoryStore, 'usageByDay'>,
  ownerId: string,
  options: { now: number; days?: number },
): Promise<UsageReport> {
  const count = options.days ?? 30
  const tomorrow = Math.floor(options.now / dayMs) * dayMs + dayMs
  const since = tomorrow - count * dayMs
  const rows = await history.usageByDay(ownerId, { since, until: tomorrow })
  const days = Array.from({ length: count }, (_, i) => utcDay(since + i * dayMs))
  const byDay = new Map(days.map((day) => [day, empty()]))
  const byModel = new Map<string, UsageTotals>()
  const total = empty()
  for (const row of rows) {
    if (!byModel.has(row.model)) byModel.set(row.model, empty())
    for (const totals of [byDay.get(row.day), byModel.get(row.model), total]) {
      if (!totals) continue
      totals.inputTokens += row.inputTokens
      totals.outputTokens += row.outputTokens
      totals.costUsd += row.costUsd
      totals.answers += row.answers
    }
  }
  const tokens = (t: UsageTotals) => t.inputTokens + t.outputTokens
  const models = [...byModel.keys()].sort(
    (a, b) => tokens(byModel.get(b) as UsageTotals) - tokens(byModel.get(a) as UsageTotals),
  )
  return { days, models, rows, byDay, byModel, total }
}

function empty(): UsageTotals {
  return { inputTokens: 0, outputTokens: 0, costUsd: 0, answers: 0 }
}
