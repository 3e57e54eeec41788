import { Composer, type ModelOptions } from './composer.tsx'
import { LiveAnswer } from './live-answer.tsx'
import { RegenerateSlot } from './regenerate-form.tsx'

/**
 * What htmx swaps in after a turn starts in an open conversation (a send or an edit): the
 * live answer at the end of the list, a fresh composer with the caret in it, and Regenerate
 * hidden until the answer ends.
 */
export function LiveTurnTail(props: {
  conversationId: string
  runId: string
  csrfToken: string
  models?: ModelOptions
  /** The picker's choice, kept after a send. */
  model?: string
}) {
  const { conversationId, csrfToken } = props
  return (
    <>
      <LiveAnswer conversationId={conversationId} runId={props.runId} csrfToken={csrfToken} />
      <Composer
        csrfToken={csrfToken}
        conversationId={conversationId}
        target="#messages"
        oob
        focus
        models={props.models}
        model={props.model}
      />
      <RegenerateSlot conversationId={conversationId} csrfToken={csrfToken} show={false} oob />
    </>
  )
}
