import type { TurnDeps } from '../agent/run-turn.ts'
import type { HistoryStore } from '../memory/history-store.ts'
import type { KvStore } from '../memory/kv-store.ts'
import type { TextIndex } from '../memory/text-index.ts'
import { loadSession } from '../memory/working-memory.ts'
import { extractFacts } from './extract-facts.ts'
import { normaliseFact } from './fact-identity.ts'
import { contentWords } from './lexical-score.ts'
import { listedMemories } from './manage-memories.ts'
import { type MemoryRetention, purgeExpiredMemories } from './memory-retention.ts'
import { holdsSecret, redactSecrets } from './redact-secrets.ts'
import { storeFact } from './store-fact.ts'

/** What remembering facts needs. */
export interface FactDeps extends MemoryRetention {
  semantic: TextIndex
  history: HistoryStore
  kv: KvStore
  /** Whether conversations are read through working memory (see `loadSession`). */
  sessions?: boolean
  turn: Pick<TurnDeps, 'router' | 'models' | 'breaker' | 'system'>
  sleep?: (ms: number) => Promise<void>
}

/** How remembering is paced. */
export interface FactTiming {
  /** Quiet time after an answer before extracting; a later answer restarts it. */
  debounceMs: number
  /** The longest an extraction may hold its conversation's lock. */
  lockMs: number
  /** How many of the latest user turns the extraction reads. */
  turns: number
}

export const defaultFactTiming: FactTiming = { debounceMs: 1500, lockMs: 30_000, turns: 8 }

/** Why a candidate fact was not stored (for tests and logs). */
export type FactOutcome =
  | { text: string; stored: 'added' | 'updated' | 'duplicate' }
  | { text: string; dropped: 'secret' | 'system-prompt' | 'ungrounded' }

/** The text parts of a stored message (images and route notes are no source of facts). */
const textOf = (content: readonly { type: string; text?: unknown }[]) =>
  content
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text)
    .join('\n')

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * After an answer, in the background: waits out the debounce (a later answer in the same
 * conversation takes over), takes the conversation's lock (so two extractions never race),
 * extracts facts from the latest user turns only (assistant text and the system prompt are
 * never shown to the extractor) and stores what survives `screenFact`. Resolves to what
 * happened to each candidate, or `skipped` when another answer or extraction took over.
 */
export async function rememberFacts(
  deps: FactDeps,
  at: { ownerId: string; conversationId: string },
  timing: FactTiming = defaultFactTiming,
): Promise<FactOutcome[] | 'skipped'> {
  const now = deps.now ?? Date.now
  const ticket = crypto.randomUUID()
  const nextKey = `facts:next:${at.conversationId}`
  const lockKey = `facts:lock:${at.conversationId}`
  await deps.kv.set(nextKey, ticket, { ttlMs: timing.debounceMs + timing.lockMs })
  await (deps.sleep ?? wait)(timing.debounceMs)
  if ((await deps.kv.get(nextKey)) !== ticket) return 'skipped'
  if (!(await deps.kv.set(lockKey, ticket, { ifAbsent: true, ttlMs: timing.lockMs })))
    return 'skipped'
  try {
    // From working memory when the conversation is warm: no history read after the answer.
    const session = await loadSession(deps, at.ownerId, at.conversationId)
    const userTurns = [...(session?.messages ?? [])]
      .reverse()
      .filter((message) => message.role === 'user')
      .slice(0, timing.turns)
      .reverse()
      .map((message) => ({ id: message.id, text: redactSecrets(textOf(message.content)) }))
      .filter((turn) => turn.text.trim() !== '')
    const extracted = await extractFacts(
      deps.turn,
      userTurns.map((turn) => turn.text),
    )
    // Expired facts go before new ones are stored: a fact said again after its TTL is then
    // stored afresh rather than counted as a duplicate of one about to be purged.
    if (extracted.length > 0) await purgeExpiredMemories(deps, at.ownerId, listedMemories)
    const outcomes: FactOutcome[] = []
    const seen = new Set<string>()
    for (const fact of extracted) {
      const turn = userTurns[fact.turn]
      if (!turn) continue
      const dropped = screenFact(fact.text, turn.text, deps.turn.system)
      if (dropped) {
        outcomes.push({ text: fact.text, dropped })
        continue
      }
      const key = normaliseFact(fact.text)
      if (seen.has(key)) continue
      seen.add(key)
      const stored = await storeFact(deps, {
        ownerId: at.ownerId,
        text: fact.text,
        conversationId: at.conversationId,
        messageId: turn.id,
        at: now(),
      })
      outcomes.push({ text: fact.text, stored })
    }
    return outcomes
  } finally {
    await deps.kv.delete(lockKey).catch(() => false)
  }
}

/**
 * Why a fact the model proposed must not be stored, or undefined to keep it: it holds a secret
 * (even redacted, "the password is [redacted]" is no memory); it echoes the system prompt;
 * or it is not grounded in the user turn it cites (most of its words are not there), which
 * is how an assistant's text or an invention shows.
 */
export function screenFact(
  fact: string,
  turn: string,
  system: string | undefined,
): 'secret' | 'system-prompt' | 'ungrounded' | undefined {
  if (holdsSecret(fact)) return 'secret'
  const words = contentWords(fact)
  const share = (source: string) => {
    if (words.size === 0) return 0
    const held = contentWords(source)
    let found = 0
    for (const word of words) if (held.has(word)) found++
    return found / words.size
  }
  if (system && share(system) >= 0.6) return 'system-prompt'
  if (share(turn) < 0.6) return 'ungrounded'
  return undefined
}
