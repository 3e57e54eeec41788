import type { SpanContext } from '@opentelemetry/api'

/**
 * Which model call asked for which tool call: the model span records each tool call's id and
 * the tool span takes that call as its parent, so a trace reads request → chat → tool even
 * though the tool runs after the model call has ended. Bounded: the oldest entries go first.
 */
export function createToolCallParents(limit = 1000) {
  const parents = new Map<string, SpanContext>()
  return {
    set(callId: string, parent: SpanContext) {
      parents.set(callId, parent)
      if (parents.size > limit) parents.delete(parents.keys().next().value as string)
    },
    /** The parent of a tool call, forgotten once taken (ids are used once). */
    take(callId: string): SpanContext | undefined {
      const parent = parents.get(callId)
      parents.delete(callId)
      return parent
    },
  }
}

/** The type of `createToolCallParents`'s result. */
export type ToolCallParents = ReturnType<typeof createToolCallParents>
