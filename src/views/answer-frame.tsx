import type { AgentEvent } from '../core/agent/agent-event.ts'
import { type AnswerState, applyEvent } from './answer-state.ts'
import { answerIds } from './live-answer.tsx'
import { AssistantMessage, ModelBadge, ToolCard } from './message-view.tsx'

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
      model={end?.model ?? state.model}
      tier={state.tier}
      reason={state.reason}
      tools={[...state.tools.values()]}
      usage={usage}
      status={end?.reason}
      error={state.error?.message}
    />
  )
}

/**
 * One run event as the HTML fragment htmx swaps out of band into the live shell (see
 * `LiveAnswer`), applying the event to `state`. `null` when the page shows nothing for it
 * (usage). Model text is only ever a JSX child, so it is escaped by construction.
 */
export function answerFrame(runId: string, state: AnswerState, event: AgentEvent) {
  const ids = answerIds(runId)
  const stepIsNew = 'step' in event && !state.steps.has(event.step)
  applyEvent(state, event)
  const intoBody = `beforeend:#${ids.body}`
  switch (event.type) {
    case 'route':
      return <ModelBadge id={ids.badge} tier={event.tier} reason={event.reason} oob />
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
    case 'tool-result': {
      const tool = state.tools.get(event.id)
      return tool ? <ToolCard id={ids.tool(event.id)} tool={tool} oob /> : null
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
