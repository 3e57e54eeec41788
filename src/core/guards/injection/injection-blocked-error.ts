import { AppError } from '../../errors.ts'
import type { GuardPath, InjectionVerdict } from './injection-policy.ts'

/** The name the guard goes by in errors and events. */
export const injectionGuardName = 'prompt-injection'

const pathLabel: Record<GuardPath, string> = {
  'user-input': 'message',
  'tool-result': 'tool result',
  'recalled-memory': 'recalled memory',
}

/**
 * A text was refused by the prompt-injection guard under a `block` policy (400). The message
 * and `details` name the guard, the path and the reasons, so the person who sent it can see why.
 */
export class InjectionBlockedError extends AppError {
  readonly path: GuardPath
  readonly reasons: readonly string[]
  constructor(path: GuardPath, verdict: InjectionVerdict) {
    super(
      'injection_blocked',
      `The ${injectionGuardName} guard blocked this ${pathLabel[path]} (${verdict.reasons.join(', ') || 'score'})`,
      {
        status: 400,
        details: {
          guard: injectionGuardName,
          path,
          score: Number(verdict.score.toFixed(3)),
          reasons: verdict.reasons,
        },
      },
    )
    this.path = path
    this.reasons = verdict.reasons
  }
}
