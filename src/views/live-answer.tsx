import { chatUrls } from '../urls.ts'
import { domId } from './answer-state.ts'
import { CsrfInput } from './csrf-input.tsx'
import { ModelBadge } from './message-view.tsx'

/** The element ids of a run's answer on the page, shared by the shell and the SSE frames. */
export function answerIds(runId: string) {
  const base = domId('run', runId)
  return {
    article: base,
    badge: `${base}-badge`,
    body: `${base}-body`,
    notices: `${base}-notices`,
    thinking: `${base}-thinking`,
    step: (step: number) => `${base}-s${step}`,
    tool: (toolId: string) => `${base}-t-${domId(toolId)}`,
    approval: (toolId: string) => `${base}-a-${domId(toolId)}`,
  }
}

/**
 * A live answer's shell: htmx fills it from the run's event stream (`hx-sse:connect`, which
 * reconnects with `Last-Event-ID`), and the final frame replaces the whole article, which
 * also ends the connection. Without JavaScript the link leads to the streamed run page.
 */
export function LiveAnswer(props: { conversationId: string; runId: string; csrfToken: string }) {
  const ids = answerIds(props.runId)
  const paths = chatUrls.run(props.conversationId, props.runId)
  return (
    <article
      class="message assistant live"
      id={ids.article}
      aria-live="polite"
      aria-busy="true"
      data-run-id={props.runId}
    >
      <ModelBadge id={ids.badge} />
      <div class="answer-body" id={ids.body} />
      <div class="answer-notices" id={ids.notices} />
      <div class="answer-actions">
        <form method="post" action={paths.cancel} hx-post={paths.cancel} hx-swap="none">
          <CsrfInput token={props.csrfToken} />
          <button type="submit" class="button-secondary">
            Stop
          </button>
        </form>
        <a class="follow-link" href={paths.page}>
          Open this answer on its own page
        </a>
      </div>
      <div class="sse-sink" hx-sse:connect={paths.events} hx-swap="none" />
    </article>
  )
}
