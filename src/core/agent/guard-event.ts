import { injectionGuardName } from '../guards/injection/injection-blocked-error.ts'
import type { GuardPath, InjectionVerdict } from '../guards/injection/injection-policy.ts'
import type { AgentEvent } from './agent-event.ts'

/** The run's `guard` event for a verdict that was not `allow`. */
export function guardEvent(
  path: GuardPath,
  verdict: InjectionVerdict & { verdict: 'flag' | 'block' },
  toolCallId?: string,
): Extract<AgentEvent, { type: 'guard' }> {
  return {
    type: 'guard',
    guard: injectionGuardName,
    path,
    verdict: verdict.verdict,
    score: Number(verdict.score.toFixed(3)),
    reasons: [...verdict.reasons],
    ...(toolCallId ? { toolCallId } : {}),
  }
}
