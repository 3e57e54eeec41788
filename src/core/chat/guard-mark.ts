import type { AgentEvent } from '../agent/agent-event.ts'
import { guardEvent } from '../agent/guard-event.ts'
import type { ContentPart, Message } from '../domain/history-records.ts'
import { injectionGuardName } from '../guards/injection/injection-blocked-error.ts'
import type { InjectionVerdict } from '../guards/injection/injection-policy.ts'
import { wrapUntrusted } from '../guards/injection/untrusted-data.ts'

/**
 * What the prompt-injection guard said about a user message it flagged, stored with the
 * message's text part: the page shows a badge from it, and every later turn that has the
 * message in its context hands it to the model wrapped as untrusted data again.
 */
export interface GuardMark {
  guard: typeof injectionGuardName
  path: 'user-input'
  verdict: 'flag'
  score: number
  reasons: string[]
}

/** A flag verdict, narrowed; anything else (allow; block never reaches storage) is no mark. */
export type FlagVerdict = InjectionVerdict & { verdict: 'flag' }

/** The stored text part of a user message, marked when the guard flagged it. */
export function userTextPart(text: string, flag?: FlagVerdict): ContentPart {
  return flag ? { type: 'text', text, guard: markOf(flag) } : { type: 'text', text }
}

/** The guard's mark on a stored message, if it has one. */
export function guardMarkOf(message: Pick<Message, 'content'>): GuardMark | undefined {
  for (const part of message.content) {
    const mark = part.guard as Partial<GuardMark> | undefined
    if (part.type === 'text' && mark?.verdict === 'flag' && Array.isArray(mark.reasons)) {
      return {
        guard: injectionGuardName,
        path: 'user-input',
        verdict: 'flag',
        score: typeof mark.score === 'number' ? mark.score : 0,
        reasons: mark.reasons.filter((reason): reason is string => typeof reason === 'string'),
      }
    }
  }
  return undefined
}

/** A user's text as the model gets it: wrapped as untrusted data when it carries a mark. */
export function userTextForModel(text: string, mark: GuardMark | undefined): string {
  return mark ? wrapUntrusted(text, 'user-input', mark.reasons) : text
}

/** The run's `guard` event for a flagged user message. */
export function userInputGuardEvent(mark: GuardMark): AgentEvent {
  return guardEvent('user-input', { verdict: 'flag', score: mark.score, reasons: mark.reasons })
}

function markOf(flag: FlagVerdict): Omit<GuardMark, 'path'> {
  return {
    guard: injectionGuardName,
    verdict: 'flag',
    score: Number(flag.score.toFixed(3)),
    reasons: [...flag.reasons],
  }
}
