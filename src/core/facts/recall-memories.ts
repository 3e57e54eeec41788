import type { RecalledMemoryRef } from '../agent/agent-event.ts'
import type { TextIndex } from '../memory/text-index.ts'
import { lexicalScore } from './lexical-score.ts'
import { isExpired, type MemoryRetention } from './memory-retention.ts'

/**
 * One memory recalled for a question: data, with where it came from. The same shape the run's
 * `recall` event reports; `score` is the vector score blended with the lexical one (0..1).
 */
export type RecalledMemory = RecalledMemoryRef

/** How recall chooses; the defaults are what chat uses. */
export interface RecallOptions {
  /** Most memories recalled. */
  topK: number
  /**
   * How many of the vector's nearest are re-scored. Wide, because the lexical half can only
   * rank what the vector query returns: a fact the hashing embedder places 40th may be the one
   * whose words the question names.
   */
  candidates: number
  /** Relevance below which a memory is left out however few are found. */
  scoreFloor: number
  /** Tokens the recalled texts may take together (4 characters a token). */
  tokenBudget: number
  /** Weight of the lexical score against the vector score (which gets `1 - lexicalWeight`). */
  lexicalWeight: number
  /** Age at which the recency bonus halves. */
  recencyHalfLifeMs: number
  /** Largest bonus for a brand-new memory, added to relevance when ranking (not for the floor). */
  recencyWeight: number
}

export const defaultRecallOptions: RecallOptions = {
  topK: 3,
  candidates: 100,
  scoreFloor: 0.4,
  tokenBudget: 300,
  lexicalWeight: 0.6,
  recencyHalfLifeMs: 30 * 24 * 3600_000,
  recencyWeight: 0.05,
}

/** The vector score (0.5 unrelated .. 1 identical) stretched to 0..1 before blending. */
const stretch = (score: number) => Math.max(0, (score - 0.5) * 2)

/**
 * The owner's facts most relevant to `question`, as data: candidates from the text index,
 * relevance = vector and lexical scores blended (so paraphrases and exact terms both count),
 * kept above the floor, ranked by relevance plus a small recency bonus, and packed whole into
 * the token budget. Facts of the current conversation are left out: they are in its history,
 * and so are facts past the TTL: they are forgotten (and purged when the owner's facts are next
 * listed or stored).
 */
export async function recallMemories(
  deps: { semantic: TextIndex } & MemoryRetention,
  query: { ownerId: string; conversationId?: string; question: string },
  signal?: AbortSignal,
  options: RecallOptions = defaultRecallOptions,
): Promise<RecalledMemory[]> {
  const now = (deps.now ?? Date.now)()
  const candidates = await deps.semantic.query(
    query.question,
    { topK: options.candidates, filter: { owner: query.ownerId, kind: 'fact' } },
    signal,
  )
  const ranked = candidates
    .filter(
      (match) =>
        (match.metadata.conversationId !== query.conversationId || !query.conversationId) &&
        !isExpired(deps, match.metadata.createdAt),
    )
    .map((match) => {
      const relevance =
        (1 - options.lexicalWeight) * stretch(match.score) +
        options.lexicalWeight * lexicalScore(query.question, match.metadata.text)
      const age = Math.max(0, now - match.metadata.createdAt)
      const recency = options.recencyWeight * 0.5 ** (age / options.recencyHalfLifeMs)
      return { match, relevance, rank: relevance + recency }
    })
    .filter((scored) => scored.relevance >= options.scoreFloor)
    .sort((a, b) => b.rank - a.rank)

  const recalled: RecalledMemory[] = []
  let budget = options.tokenBudget
  for (const { match, relevance } of ranked) {
    if (recalled.length === options.topK) break
    const tokens = Math.ceil(match.metadata.text.length / 4)
    if (tokens > budget) continue
    budget -= tokens
    recalled.push({
      id: match.id,
      text: match.metadata.text,
      score: Math.round(relevance * 1000) / 1000,
      ...(match.metadata.conversationId ? { conversationId: match.metadata.conversationId } : {}),
      ...(match.metadata.messageId ? { messageId: match.metadata.messageId } : {}),
      createdAt: match.metadata.createdAt,
    })
  }
  return recalled
}
