import type { AgentEvent, RecalledMemoryRef, TurnUsage } from '../agent/agent-event.ts'
import { stepSeparator } from '../agent/run-turn.ts'
import type { ContentPart, ToolCallRecord, ToolResultRecord } from '../domain/history-records.ts'
import type { HistoryStore } from '../memory/history-store.ts'
import { statusByReason } from '../runs/run-recorder.ts'
import type { Logger } from '../telemetry/logger.ts'
import { storableJson, storableText } from '../text/storable-text.ts'

type GuardEvent = Extract<AgentEvent, { type: 'guard' }>

/** Where a turn's outcome is written. */
export interface TurnRecord {
  history: HistoryStore
  ownerId: string
  conversationId: string
  runId: string
  now: () => number
  /** Where a failure to record is reported (by code, never with the text). */
  logger?: Logger
  /** Called once the answer is stored, with its text (for semantic memory). */
  onAnswer?: (answer: { messageId: string; text: string }) => void
}

/**
 * Passes a turn's events through unchanged and writes its outcome to history when it ends:
 * the assistant message (final text, model, usage, the tool calls and results that stood)
 * and the run's status, route, usage and error. Writing happens before the stream closes, so
 * a client that sees the end can reload and find the message stored.
 *
 * A `retry` with `restart` voids that step's tool calls, as it voids its text.
 */
export async function* recordTurn(
  record: TurnRecord,
  events: AsyncIterable<AgentEvent>,
): AsyncGenerator<AgentEvent> {
  let route: unknown
  let recalled: RecalledMemoryRef[] = []
  const guards: GuardEvent[] = []
  let error: { code: string; message: string } | null = null
  const calls = new Map<number, ToolCallRecord[]>()
  const thinking = new Map<number, string>()
  const results = new Map<number, ToolResultRecord[]>()

  for await (const event of events) {
    yield event
    switch (event.type) {
      case 'recall':
        recalled = event.memories
        break
      case 'route':
        route = event
        await record.history.updateRun(record.ownerId, record.runId, { route })
        break
      case 'retry':
        if (event.restart) {
          calls.delete(event.step)
          results.delete(event.step)
          thinking.delete(event.step)
        }
        break
      case 'tool-call':
        calls.set(event.step, [
          ...(calls.get(event.step) ?? []),
          { id: event.id, name: storableText(event.name), input: storableJson(event.input) },
        ])
        break
      case 'tool-result':
        results.set(event.step, [
          ...(results.get(event.step) ?? []),
          { toolCallId: event.id, output: storableText(event.content), isError: !event.ok },
        ])
        break
      case 'error':
        error = { code: event.code, message: storableText(event.message) }
        break
      case 'turn-end':
        try {
          await finish(record, event, {
            route,
            recalled,
            guards,
            error,
            calls,
            results,
            thinking,
          })
        } catch (failure) {
          await recordFailure(record, failure)
          throw failure
        }
        break
      case 'thinking-delta':
        thinking.set(event.step, (thinking.get(event.step) ?? '') + event.text)
        break
      case 'text-delta':
      case 'usage':
        // The answer's text and usage come whole with `turn-end`.
        break
      case 'guard':
        // A flagged user message is marked where it is stored (send-message.ts). The verdicts
        // on recalled memories and tool results are kept with the answer, so its badges
        // survive a reload (the tool result itself is stored as the model saw it, wrapped).
        if (event.path !== 'user-input') guards.push(event)
        break
      case 'approval-request':
      case 'approval':
        // A denial reaches history as the call's error result.
        break
      default:
        event satisfies never
    }
  }
}

async function finish(
  record: TurnRecord,
  end: Extract<AgentEvent, { type: 'turn-end' }>,
  seen: {
    route: unknown
    recalled: RecalledMemoryRef[]
    guards: readonly GuardEvent[]
    error: { code: string; message: string } | null
    calls: Map<number, ToolCallRecord[]>
    results: Map<number, ToolResultRecord[]>
    thinking: Map<number, string>
  },
) {
  const toolCalls = [...seen.calls.values()].flat()
  const toolResults = [...seen.results.values()].flat()
  const usage = tokens(end.usage)
  // Model output may hold U+0000 or half a surrogate pair, which PostgreSQL refuses: the answer
  // is stored without them rather than lost.
  const text = end.text ? storableText(end.text) : ''
  // The reasoning is kept beside the answer (shown on reload), never as part of its text.
  const reasoning = storableText([...seen.thinking.values()].filter(Boolean).join(stepSeparator))
  if (text || toolCalls.length > 0) {
    const stored = await record.history.appendMessages(record.ownerId, record.conversationId, [
      {
        role: 'assistant',
        content: [
          ...(reasoning ? [{ type: 'thinking', text: reasoning }] : []),
          ...(text ? [{ type: 'text', text }] : []),
          // Why this model answered, kept with the answer so pages can show it later.
          ...(routePart(seen.route) ?? []),
          // What memory recalled for it, so the page can show it (and link its sources) later.
          ...(seen.recalled.length > 0
            ? [{ type: 'recall', memories: seen.recalled.map(storableMemory) }]
            : []),
          // What the injection guard said about them, so the badges are there on reload too.
          ...guardPart(seen.guards, toolResults),
        ],
        ...(end.model ? { model: end.model } : {}),
        usage,
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
        ...(toolResults.length > 0 ? { toolResults } : {}),
      },
    ])
    const message = stored?.[0]
    if (message && text) record.onAnswer?.({ messageId: message.id, text })
  }
  await record.history.updateRun(record.ownerId, record.runId, {
    status: statusByReason[end.reason],
    error: seen.error,
    usage,
    finishedAt: record.now(),
  })
}

/** Marks the run failed when its outcome could not be stored, so it never stays `running`. */
async function recordFailure(record: TurnRecord, failure: unknown) {
  const code = (failure as { code?: unknown }).code
  record.logger?.error('run not recorded', {
    run_id: record.runId,
    code: typeof code === 'string' ? code : 'unknown',
  })
  await record.history
    .updateRun(record.ownerId, record.runId, {
      status: 'failed',
      error: { code: 'record_failed', message: 'The answer could not be stored' },
      finishedAt: record.now(),
    })
    .catch(() => {})
}

function tokens(usage: TurnUsage) {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: usage.costUsd,
  }
}

/** The route event as a content part (`{ type: 'route', tier, reason }`); text readers skip it. */
function routePart(route: unknown): ContentPart[] | undefined {
  const event = route as Extract<AgentEvent, { type: 'route' }> | undefined
  if (!event) return undefined
  return [{ type: 'route', tier: event.tier, reason: storableText(event.reason) }]
}

/**
 * The guard's verdicts on recalled memories and on the tool results that stood (a restarted
 * step's are void with its calls), as one content part (`{ type: 'guard', verdicts }`).
 */
function guardPart(guards: readonly GuardEvent[], results: readonly ToolResultRecord[]) {
  const stood = new Set(results.map((result) => result.toolCallId))
  const verdicts = guards
    .filter((guard) => guard.toolCallId === undefined || stood.has(guard.toolCallId))
    .map(({ path, verdict, score, reasons, toolCallId }) => ({
      path,
      verdict,
      score,
      reasons: reasons.map((reason) => storableText(reason)),
      ...(toolCallId ? { toolCallId } : {}),
    }))
  return verdicts.length > 0 ? [{ type: 'guard', verdicts }] : []
}

/** A recalled memory as kept with the answer: its text made storable. */
function storableMemory(memory: RecalledMemoryRef): RecalledMemoryRef {
  return { ...memory, text: storableText(memory.text) }
}
