import type {
  ContentPart,
  Conversation,
  Message,
  Run,
  TokenUsage,
  ToolCallRecord,
  ToolResultRecord,
  User,
} from '../domain/history-records.ts'
import type { RunStatus } from '../domain/run-status.ts'
import type { conversations, messages, runs, users } from './schema.ts'

/** Row -> domain mappers of the PostgreSQL history store: nulls become absent fields. */
export function toUser(row: typeof users.$inferSelect): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    createdAt: row.createdAt.getTime(),
  }
}

/** Maps a conversation row (the caller has already excluded deleted ones). */
export function toConversation(row: typeof conversations.$inferSelect): Conversation {
  return {
    id: row.id,
    ownerId: row.ownerId,
    title: row.title,
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  }
}

/** Maps a message row. */
export function toMessage(row: typeof messages.$inferSelect): Message {
  const message: Message = {
    id: row.id,
    conversationId: row.conversationId,
    role: row.role as Message['role'],
    content: row.content as ContentPart[],
    createdAt: row.createdAt.getTime(),
  }
  if (row.model !== null) message.model = row.model
  const usage = toUsage(row.inputTokens, row.outputTokens, row.costUsd)
  if (usage) message.usage = usage
  if (row.toolCalls !== null) message.toolCalls = row.toolCalls as ToolCallRecord[]
  if (row.toolResults !== null) message.toolResults = row.toolResults as ToolResultRecord[]
  return message
}

/** Maps a run row. */
export function toRun(row: typeof runs.$inferSelect): Run {
  const run: Run = {
    id: row.id,
    conversationId: row.conversationId,
    status: row.status as RunStatus,
    startedAt: row.startedAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  }
  if (row.route !== null) run.route = row.route
  if (row.error !== null) run.error = row.error as Run['error']
  const usage = toUsage(row.inputTokens, row.outputTokens, row.costUsd)
  if (usage) run.usage = usage
  if (row.finishedAt !== null) run.finishedAt = row.finishedAt.getTime()
  return run
}

function toUsage(
  inputTokens: number | null,
  outputTokens: number | null,
  costUsd: number | null,
): TokenUsage | undefined {
  if (inputTokens === null && outputTokens === null) return undefined
  const usage: TokenUsage = { inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0 }
  if (costUsd !== null) usage.costUsd = costUsd
  return usage
}
