/**
 * An error as a fragment htmx can swap in place; the full error page wraps the same
 * component. `role="alert"` makes screen readers announce it.
 */
export function ErrorFragment(props: { code: string; message: string; requestId: string }) {
  return (
    <div class="error-notice" role="alert" data-error-code={props.code}>
      <p class="error-message">{props.message}</p>
      <p class="error-meta">
        Error <code>{props.code}</code> · request <code>{props.requestId}</code>
      </p>
    </div>
  )
}
