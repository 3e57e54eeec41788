import type { RunEntry } from '../core/runs/run-log.ts'
import { chatUrls } from '../urls.ts'
import { FinalAnswer } from './answer-frame.tsx'
import { type AnswerState, applyEvent, newAnswerState } from './answer-state.ts'
import { CsrfInput } from './csrf-input.tsx'
import { ModelBadge } from './message-view.tsx'

const render = async (node: unknown) => String(await (node as { toString(): unknown }).toString())

/**
 * A run as HTML pieces for a page that streams without JavaScript: the answer grows inside a
 * live article as the events come, and at the end the rendered answer follows it (the
 * stylesheet hides the live draft once the final answer is there, and a step voided by a
 * `retry` restart). Tags that open and close the live regions are constants; everything the
 * model wrote is rendered through JSX, so it is escaped by construction.
 */
export async function* streamedAnswer(
  run: { conversationId: string; runId: string; csrfToken: string },
  entries: AsyncIterable<RunEntry>,
): AsyncGenerator<string> {
  const { runId } = run
  const cancel = chatUrls.run(run.conversationId, runId).cancel
  const state: AnswerState = newAnswerState()
  let openStep: number | undefined
  const closeStep = () => {
    const closing = openStep === undefined ? '' : '</div>'
    openStep = undefined
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
    switch (event.type) {
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
      case 'tool-result':
        yield render(
          <p class="tool-note">
            Tool <code>{event.name}</code> {event.ok ? 'answered' : 'failed'}.
          </p>,
        )
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
  yield `${closeStep()}</div></article>`
}
