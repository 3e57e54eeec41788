import { csrfField } from '../middleware/csrf-guard.ts'

/** The hidden CSRF token every state-changing form carries. */
export function CsrfInput(props: { token: string }) {
  return <input type="hidden" name={csrfField} value={props.token} />
}
