import type { RunEntry } from '../core/runs/run-log.ts'
import { chatUrls } from '../urls.ts'
import { FinalAnswer } from './answer-frame.tsx'
import { type AnswerState, applyEvent, newAnswerState } from './answer-state.ts'
import { ApprovalNote, ApprovalPrompt } from './approval-prompt.tsx'
import { CsrfInput } from './csrf-input.tsx'
import { GuardNotice } from './guard-notice.tsx'
import { ModelBadge } from './message-view.tsx'
import { RecalledMemories } from './recalled-memories.tsx'
import { liveThinkingClose, liveThinkingOpen } from './thinking-section.tsx'

const render = async (node: unknown) => String(await (node as { toString(): unknown }).toString())

/**
 * A run as HTML pieces for a page that streams without JavaScript: the answer grows inside a
 * live article as the events come, and at the end the rendered answer follows it (the
 * stylesheet hides the live draft once the final answer is there, and a step voided by a
 * `retry` restart). Tags that open and close the live regions are constants; everything the
 * model wrote is rendered through JSX, so it is escaped by construction.
 */
export async function* streamedAnswer(
  run: {
    conversationId: string
    runId: string
    csrfToken: string
    /**
     * Tool calls already decided when the page began: the page is read from the log's start,
     * and a prompt that was answered must not offer its buttons again.
     */
    decided?: ReadonlySet<string>
  },
  entries: AsyncIterable<RunEntry>,
): AsyncGenerator<string> {
  const { runId } = run
  const { cancel, approvals } = chatUrls.run(run.conversationId, runId)
  const state: AnswerState = newAnswerState()
  let openStep: number | undefined
  let thinkingOpen = false
  const closeStep = () => {
    const closing = openStep === undefined ? '' : '</div>'
    openStep = undefined
    return closing
  }
  const closeThinking = () => {
    const closing = thinkingOpen ? liveThinkingClose : ''
    thinkingOpen = false
    return closing
  }
  yield '<article class="message assistant answer-live" aria-live="polite" aria-busy="true">'
  // Stop comes first: the rest of the article is still being written.
  yield render(
    <form class="stop-form" method="post" action={cancel}>
      <CsrfInput token={run.csrfToken} />
      <button type="submit" class="button-secondary">
        Stop
      </button>
    </form>,
  )
  yield '<div class="answer-body">'
  for await (const { event } of entries) {
    applyEvent(state, event)
    // Reasoning has its own section: whatever comes after it closes the section first.
    if (event.type !== 'thinking-delta') yield closeThinking()
    switch (event.type) {
      case 'thinking-delta': {
        if (event.text === '') break
        const opening = thinkingOpen ? '' : closeStep() + liveThinkingOpen
        thinkingOpen = true
        yield opening + (await render(<span>{event.text}</span>))
        break
      }
      case 'recall':
        yield render(<RecalledMemories memories={event.memories} />)
        break
      case 'route':
        yield render(<ModelBadge tier={event.tier} reason={event.reason} />)
        break
      case 'text-delta': {
        const opening = openStep === event.step ? '' : `${closeStep()}<div class="step">`
        openStep = event.step
        yield opening + (await render(<span>{event.text}</span>))
        break
      }
      case 'tool-call':
        yield closeStep() +
          (await render(
            <p class="tool-note">
              Calling tool <code>{event.name}</code>…
            </p>,
          ))
        break
      case 'approval-request':
        if (!run.decided?.has(event.id)) {
          yield render(
            <ApprovalPrompt
              callId={event.id}
              name={event.name}
              deadline={event.deadline}
              forms={{ action: approvals, csrfToken: run.csrfToken }}
            />,
          )
        }
        break
      case 'approval':
        yield render(
          <ApprovalNote name={event.name} verdict={{ decision: event.decision, by: event.by }} />,
        )
        break
      case 'tool-result':
        yield render(
          <p class="tool-note">
            Tool <code>{event.name}</code> {event.ok ? 'answered' : 'failed'}.
          </p>,
        )
        break
      case 'guard':
        // The question shows its own badge; a tool's or a memory's verdict is said here.
        if (event.path !== 'user-input') yield render(<GuardNotice guard={event} />)
        break
      case 'retry':
        yield closeStep() +
          (await render(
            <p class={event.restart ? 'notice step-void' : 'notice'}>
              {event.from} failed ({event.error.message}); trying {event.to}.
            </p>,
          ))
        break
      case 'error':
        yield render(
          <p class="notice notice-error" role="alert">
            {event.message}
          </p>,
        )
        break
      case 'turn-end':
        yield `${closeStep()}</div></article>${await render(<FinalAnswer runId={runId} state={state} />)}`
        return
      case 'usage':
        break
      default:
        event satisfies never
    }
  }
  // The run log ended without a turn-end (it expired mid-read): close what was opened.
  yield `${closeThinking()}${closeStep()}</div></article>`
}
