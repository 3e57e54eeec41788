/** The form field that carries the CSRF token (checked by the `csrfGuard` middleware). */
export const csrfField = '_csrf'

/** The hidden CSRF token every state-changing form carries. */
export function CsrfInput(props: { token: string }) {
  return <input type="hidden" name={csrfField} value={props.token} />
}
