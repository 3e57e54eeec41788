import type { AgentEvent } from '../core/agent/agent-event.ts'
import { type AnswerState, applyEvent } from './answer-state.ts'
import { type ApprovalForms, ApprovalNote, ApprovalPrompt } from './approval-prompt.tsx'
import { GuardNotice } from './guard-notice.tsx'
import { answerIds } from './live-answer.tsx'
import { AssistantMessage, ModelBadge, ToolCard } from './message-view.tsx'
import { RecalledMemories } from './recalled-memories.tsx'
import { ThinkingSection } from './thinking-section.tsx'

/** The finished answer from a run's state: what replaces the live shell at `turn-end`. */
export function FinalAnswer(props: { runId: string; state: AnswerState; oob?: boolean }) {
  const { state } = props
  const end = state.end
  const usage = end
    ? {
        inputTokens: end.usage.inputTokens,
        outputTokens: end.usage.outputTokens,
        costUsd: end.usage.costUsd,
      }
    : undefined
  return (
    <AssistantMessage
      id={answerIds(props.runId).article}
      oob={props.oob}
      text={end?.text ?? ''}
      thinking={state.thinking}
      model={end?.model ?? state.model}
      tier={state.tier}
      reason={state.reason}
      tools={[...state.tools.values()]}
      usage={usage}
      status={end?.reason}
      error={state.error?.message}
      guards={state.recallGuards}
      recalled={state.recalled}
    />
  )
}

/**
 * One run event as the HTML fragment htmx swaps out of band into the live shell (see
 * `LiveAnswer`), applying the event to `state`. `null` when the page shows nothing for it
 * (usage). Model text is only ever a JSX child, so it is escaped by construction.
 */
export function answerFrame(
  runId: string,
  state: AnswerState,
  event: AgentEvent,
  /** Where Approve and Deny post; without it an approval request shows no buttons. */
  forms?: ApprovalForms,
) {
  const ids = answerIds(runId)
  const stepIsNew = 'step' in event && !state.steps.has(event.step)
  const thinkingIsNew = state.thinking === ''
  applyEvent(state, event)
  const intoBody = `beforeend:#${ids.body}`
  switch (event.type) {
    case 'recall':
      return (
        <div hx-swap-oob={`beforeend:#${ids.notices}`}>
          <RecalledMemories memories={event.memories} />
        </div>
      )
    case 'route':
      return <ModelBadge id={ids.badge} tier={event.tier} reason={event.reason} oob />
    case 'thinking-delta':
      // A signature alone shows nothing; the first words open the section, the rest join it.
      if (event.text === '') return null
      return thinkingIsNew ? (
        <div hx-swap-oob={intoBody}>
          <ThinkingSection text={event.text} open bodyId={ids.thinking} />
        </div>
      ) : (
        <span hx-swap-oob={`beforeend:#${ids.thinking}`}>{event.text}</span>
      )
    case 'text-delta':
      return stepIsNew ? (
        <div hx-swap-oob={intoBody}>
          <div class="step" id={ids.step(event.step)}>
            {event.text}
          </div>
        </div>
      ) : (
        <span hx-swap-oob={`beforeend:#${ids.step(event.step)}`}>{event.text}</span>
      )
    case 'tool-call': {
      const card = (
        <ToolCard
          id={ids.tool(event.id)}
          tool={{ id: event.id, name: event.name, input: event.input }}
        />
      )
      return stepIsNew ? (
        <div hx-swap-oob={intoBody}>
          <div class="step" id={ids.step(event.step)}>
            {card}
          </div>
        </div>
      ) : (
        <div hx-swap-oob={`beforeend:#${ids.step(event.step)}`}>{card}</div>
      )
    }
    case 'approval-request':
      return (
        <div hx-swap-oob={`beforeend:#${ids.step(event.step)}`}>
          <ApprovalPrompt
            id={ids.approval(event.id)}
            callId={event.id}
            name={event.name}
            deadline={event.deadline}
            forms={forms}
            htmx
          />
        </div>
      )
    case 'approval':
      return (
        <ApprovalNote
          id={ids.approval(event.id)}
          name={event.name}
          verdict={{ decision: event.decision, by: event.by }}
          oob
        />
      )
    case 'tool-result': {
      const tool = state.tools.get(event.id)
      return tool ? <ToolCard id={ids.tool(event.id)} tool={tool} oob /> : null
    }
    case 'guard': {
      // A flagged question already shows its badge; a tool's is on its card.
      const tool = event.toolCallId ? state.tools.get(event.toolCallId) : undefined
      if (tool) return <ToolCard id={ids.tool(tool.id)} tool={tool} oob />
      if (event.path !== 'recalled-memory') return null
      return (
        <div hx-swap-oob={`beforeend:#${ids.notices}`}>
          <GuardNotice guard={event} />
        </div>
      )
    }
    case 'retry':
      return (
        <>
          {event.restart ? <div id={ids.step(event.step)} hx-swap-oob="delete" /> : null}
          <div hx-swap-oob={`beforeend:#${ids.notices}`}>
            <p class="notice" data-notice="retry">
              {event.from} failed ({event.error.message}); trying {event.to}
              {event.restart ? ', starting this step again.' : '.'}
            </p>
          </div>
        </>
      )
    case 'error':
      return (
        <div hx-swap-oob={`beforeend:#${ids.notices}`}>
          <p class="notice notice-error" role="alert" data-notice="error">
            {event.message}
          </p>
        </div>
      )
    case 'turn-end':
      return <FinalAnswer runId={runId} state={state} oob />
    case 'usage':
      return null
    default:
      return event satisfies never
  }
}
