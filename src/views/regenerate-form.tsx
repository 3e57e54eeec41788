import { chatUrls } from '../urls.ts'
import { CsrfInput } from './csrf-input.tsx'

/**
 * Where "Regenerate the last answer" lives. It is empty while an answer streams (the server
 * renders it so, and a send empties it out of band); the run's last frame fills it again, so
 * the button never offers to redo an answer that is still being written.
 */
export function RegenerateSlot(props: {
  conversationId: string
  csrfToken: string
  /** Whether the button shows: there is a question, and no answer is streaming. */
  show: boolean
  oob?: boolean
}) {
  const action = chatUrls.regenerate(props.conversationId)
  return (
    <div id="regenerate" class="regenerate-slot" hx-swap-oob={props.oob ? 'true' : undefined}>
      {props.show ? (
        <form
          class="regenerate"
          method="post"
          action={action}
          hx-post={action}
          hx-target="#messages"
          hx-swap="beforeend"
        >
          <CsrfInput token={props.csrfToken} />
          <button type="submit" class="button-secondary">
            Regenerate the last answer
          </button>
        </form>
      ) : null}
    </div>
  )
}
