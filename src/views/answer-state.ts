import type { AgentEvent, RecalledMemoryRef, TurnUsage } from '../core/agent/agent-event.ts'
import type { ApprovalVerdict } from '../core/agent/approver.ts'
import type { GuardNoticeData } from './guard-notice.tsx'
import type { ToolCardData } from './message-view.tsx'

/** What a renderer knows about a run so far, rebuilt from its events in order. */
export interface AnswerState {
  tier?: string
  reason?: string
  model?: string
  /** The model's reasoning so far, every step's in order (never part of the answer). */
  thinking: string
  /** Steps that have a container on the page (text or tool cards). */
  steps: Set<number>
  /** What memory recalled for this turn. */
  recalled: RecalledMemoryRef[]
  tools: Map<string, ToolCardData & { step: number }>
  /** Tool calls that asked for approval, by call id, with the verdict once there is one. */
  approvals: Map<string, { name: string; deadline: number; verdict?: ApprovalVerdict }>
  end?: { reason: string; text: string; model?: string; usage: TurnUsage }
  error?: { code: string; message: string }
  /** The guard's verdicts on recalled memories (a user message carries its own badge). */
  recallGuards: GuardNoticeData[]
}

/** A fresh state. */
export function newAnswerState(): AnswerState {
  return {
    thinking: '',
    steps: new Set(),
    tools: new Map(),
    approvals: new Map(),
    recallGuards: [],
    recalled: [],
  }
}

/**
 * Applies one event. Renderers read the state before applying (to know whether a step is new)
 * and after (for the final answer); replaying a log through it rebuilds the state exactly,
 * which is how a resumed stream knows what the page already shows.
 */
export function applyEvent(state: AnswerState, event: AgentEvent): void {
  switch (event.type) {
    case 'recall':
      state.recalled = event.memories
      break
    case 'route':
      state.tier = event.tier
      state.reason = event.reason
      break
    case 'thinking-delta':
      state.thinking += event.text
      break
    case 'text-delta':
      state.steps.add(event.step)
      break
    case 'tool-call':
      state.steps.add(event.step)
      state.tools.set(event.id, {
        id: event.id,
        name: event.name,
        input: event.input,
        step: event.step,
      })
      break
    case 'approval-request':
      state.approvals.set(event.id, { name: event.name, deadline: event.deadline })
      break
    case 'approval': {
      const asked = state.approvals.get(event.id)
      if (asked) asked.verdict = { decision: event.decision, by: event.by }
      break
    }
    case 'tool-result': {
      const tool = state.tools.get(event.id)
      if (tool) tool.result = { ok: event.ok, content: event.content }
      break
    }
    case 'guard': {
      const tool = event.toolCallId ? state.tools.get(event.toolCallId) : undefined
      if (tool) tool.guard = event
      else if (event.path === 'recalled-memory') state.recallGuards.push(event)
      break
    }
    case 'retry':
      if (event.restart) {
        state.steps.delete(event.step)
        for (const [id, tool] of state.tools) if (tool.step === event.step) state.tools.delete(id)
      }
      break
    case 'usage':
      state.model = event.model
      break
    case 'error':
      state.error = { code: event.code, message: event.message }
      break
    case 'turn-end':
      state.end = {
        reason: event.reason,
        text: event.text,
        model: event.model ?? state.model,
        usage: event.usage,
      }
      break
    default:
      event satisfies never
  }
}

/** A DOM-id-safe form of a run or tool id. */
export function domId(...parts: string[]): string {
  return parts.map((part) => part.replace(/[^\w-]/g, '_')).join('-')
}
