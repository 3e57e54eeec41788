import { AppError } from '../errors.ts'

/** An outbound request to an address the allow-list does not permit (SSRF protection). */
export class OutboundRefusedError extends AppError {
  constructor(host: string, reason: string) {
    super('outbound_refused', `Outbound request to ${host} refused: ${reason}.`, {
      status: 403,
      retryable: false,
    })
  }
}
