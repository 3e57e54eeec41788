import type { Context } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import type { AgentEvent } from '../../core/agent/agent-event.ts'

type GuardVerdict = Pick<
  Extract<AgentEvent, { type: 'guard' }>,
  'path' | 'verdict' | 'score' | 'reasons'
>

/** The response header that carries the injection guard's verdicts on a request's inputs. */
export const guardHeaderName = 'x-outpost-guard'

/**
 * Sets `x-outpost-guard` when the prompt-injection guard flagged an input of the request:
 * one entry per flagged input, `flag; path=user-input; score=0.912; reasons="a b"` (entries
 * joined by `, `; reasons are slugs, so a space separates them). Nothing when nothing was flagged.
 */
export function setGuardHeader(c: Context<AppEnv>, verdicts: readonly GuardVerdict[]): void {
  if (verdicts.length === 0) return
  c.header(
    guardHeaderName,
    verdicts
      .map(
        (v) => `${v.verdict}; path=${v.path}; score=${v.score}; reasons="${v.reasons.join(' ')}"`,
      )
      .join(', '),
  )
}
