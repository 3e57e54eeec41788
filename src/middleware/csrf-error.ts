import { AppError } from '../core/errors.ts'

/** A state-changing request without a valid CSRF token, or from another origin (403). */
export class CsrfError extends AppError {
  constructor(reason: 'token' | 'origin', options: { cause?: unknown } = {}) {
    super(
      reason === 'token' ? 'csrf_token_invalid' : 'csrf_origin_invalid',
      reason === 'token'
        ? 'This form has expired or did not come from this site. Reload the page and try again.'
        : 'This request came from another site and was refused.',
      { ...options, status: 403 },
    )
  }
}
