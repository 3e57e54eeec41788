import type { Conversation, Message, Run } from '../../core/domain/history-records.ts'

const iso = (ms: number) => new Date(ms).toISOString()

/** A conversation in the REST API's shape. */
export function conversationView(conversation: Conversation) {
  return {
    id: conversation.id,
    title: conversation.title,
    created_at: iso(conversation.createdAt),
    updated_at: iso(conversation.updatedAt),
  }
}

/** A message in the REST API's shape. */
export function messageView(message: Message) {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    model: message.model ?? null,
    tool_calls: (message.toolCalls ?? []).map((call) => ({ ...call })),
    created_at: iso(message.createdAt),
  }
}

/** A run in the REST API's shape; `live` says whether it is still producing events. */
export function runView(run: Run, live: boolean) {
  return {
    id: run.id,
    conversation_id: run.conversationId,
    status: run.status,
    live,
    route: run.route ?? null,
    error: run.error ?? null,
    usage: run.usage
      ? { input_tokens: run.usage.inputTokens, output_tokens: run.usage.outputTokens }
      : null,
    cost_usd: run.usage?.costUsd ?? null,
    started_at: iso(run.startedAt),
    finished_at: run.finishedAt === undefined ? null : iso(run.finishedAt),
  }
}
