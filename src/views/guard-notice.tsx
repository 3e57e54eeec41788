import type { AgentEvent } from '../core/agent/agent-event.ts'

/** What the guard said about one text, as the page needs it. */
export type GuardNoticeData = Pick<
  Extract<AgentEvent, { type: 'guard' }>,
  'path' | 'verdict' | 'score' | 'reasons'
>

const subject: Record<GuardNoticeData['path'], string> = {
  'user-input': 'This message',
  'tool-result': 'This tool result',
  'recalled-memory': 'A recalled memory',
}

/**
 * The badge on a text the prompt-injection guard flagged or blocked: what happened to it,
 * and the guard's reasons, so the reader knows why the answer may treat it as data.
 */
export function GuardNotice(props: { guard: GuardNoticeData }) {
  const { guard } = props
  const outcome =
    guard.verdict === 'block'
      ? 'was left out'
      : 'was handed to the model as untrusted data, not instructions'
  const why = guard.reasons.length > 0 ? guard.reasons.join(', ') : `score ${guard.score}`
  return (
    <p class="guard-badge" data-guard={guard.verdict} data-guard-path={guard.path}>
      <strong>{guard.verdict === 'block' ? 'Blocked' : 'Flagged'}</strong> by the prompt-injection
      guard: {subject[guard.path].toLowerCase()} {outcome} ({why}).
    </p>
  )
}
