import { AppError } from '../errors.ts'

/**
 * The caller did not prove who it is (401): no API key, an unknown one or a revoked one. The
 * message is the same for all three, so a response never tells which.
 */
export class UnauthorizedError extends AppError {
  constructor(message = 'A valid API key is required: Authorization: Bearer <key>') {
    super('unauthorized', message, { status: 401 })
  }
}
