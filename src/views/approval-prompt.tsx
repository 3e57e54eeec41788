import type { ApprovalVerdict } from '../core/agent/approver.ts'
import { CsrfInput } from './csrf-input.tsx'

/** Where the approval forms post, and the token they carry. */
export interface ApprovalForms {
  action: string
  csrfToken: string
}

/**
 * The question a paused run asks: Approve or Deny a tool call. Two plain forms, so the choice
 * works without JavaScript (the answer redirects back to the run's page); with `htmx` they
 * post in the background, and the live answer's own stream shows what happened next.
 */
export function ApprovalPrompt(props: {
  id?: string
  callId: string
  name: string
  deadline: number
  forms?: ApprovalForms
  htmx?: boolean
}) {
  const { forms } = props
  const form = (decision: 'approve' | 'deny', label: string, style?: string) =>
    forms ? (
      <form
        method="post"
        action={forms.action}
        hx-post={props.htmx ? forms.action : undefined}
        hx-swap={props.htmx ? 'none' : undefined}
      >
        <CsrfInput token={forms.csrfToken} />
        <input type="hidden" name="call_id" value={props.callId} />
        <input type="hidden" name="decision" value={decision} />
        <button type="submit" class={style} data-decision={decision}>
          {label}
        </button>
      </form>
    ) : null
  return (
    <div class="approval" id={props.id} data-approval="pending">
      <p>
        The assistant wants to run <code>{props.name}</code>. No answer by{' '}
        <time datetime={new Date(props.deadline).toISOString()}>
          {new Date(props.deadline).toISOString().slice(11, 19)} UTC
        </time>{' '}
        counts as Deny.
      </p>
      <div class="approval-actions">
        {form('approve', 'Approve')}
        {form('deny', 'Deny', 'button-secondary')}
      </div>
    </div>
  )
}

/** What became of an approval request, in place of its prompt. */
export function ApprovalNote(props: {
  id?: string
  name: string
  verdict: ApprovalVerdict
  oob?: boolean
}) {
  const { decision, by } = props.verdict
  const what =
    decision === 'approve'
      ? 'You approved'
      : by === 'timeout'
        ? 'Nobody answered in time, so the assistant may not run'
        : 'You denied'
  return (
    <p
      class="approval-note"
      id={props.id}
      data-approval={decision}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      {what} <code>{props.name}</code>.
    </p>
  )
}
