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

/** A stored verdict: what the notice needs, and the tool call it was about (path `tool-result`). */
export type StoredGuard = GuardNoticeData & { toolCallId?: string }

const paths = new Set<string>(Object.keys(subject))

/**
 * The guard's verdicts kept with an answer (a `guard` content part, see record-turn.ts), read
 * defensively: a stored message is data, and one malformed verdict must not break the page.
 */
export function guardsIn(content: readonly { type: string; [field: string]: unknown }[]) {
  const part = content.find((p) => p.type === 'guard')
  if (!Array.isArray(part?.verdicts)) return []
  const guards: StoredGuard[] = []
  for (const item of part.verdicts as unknown[]) {
    const v = item as Partial<Record<keyof StoredGuard, unknown>> | null
    if (!v || typeof v.path !== 'string' || !paths.has(v.path)) continue
    if (v.verdict !== 'flag' && v.verdict !== 'block') continue
    guards.push({
      path: v.path as GuardNoticeData['path'],
      verdict: v.verdict,
      score: typeof v.score === 'number' ? v.score : 0,
      reasons: Array.isArray(v.reasons)
        ? v.reasons.filter((reason): reason is string => typeof reason === 'string')
        : [],
      ...(typeof v.toolCallId === 'string' ? { toolCallId: v.toolCallId } : {}),
    })
  }
  return guards
}
