/**
 * An error as a fragment htmx can swap in place; the full error page wraps the same
 * component. `role="alert"` makes screen readers announce it.
 */
export function ErrorFragment(props: {
  code: string
  message: string
  requestId: string
  /** When the request may be tried again (a limit's refusal), in seconds. */
  retryAfterSeconds?: number
}) {
  return (
    <div class="error-notice" role="alert" data-error-code={props.code}>
      <p class="error-message">{props.message}</p>
      {props.retryAfterSeconds === undefined ? null : (
        <p class="error-retry" data-retry-after={props.retryAfterSeconds}>
          Try again in {waitText(props.retryAfterSeconds)}.
        </p>
      )}
      <p class="error-meta">
        Error <code>{props.code}</code> · request <code>{props.requestId}</code>
      </p>
    </div>
  )
}

/** "12 seconds", "3 minutes", "5 hours": a wait as a person reads it. */
function waitText(seconds: number): string {
  const [amount, unit] =
    seconds < 120
      ? [seconds, 'second']
      : seconds < 7200
        ? [Math.ceil(seconds / 60), 'minute']
        : [Math.ceil(seconds / 3600), 'hour']
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`
}
