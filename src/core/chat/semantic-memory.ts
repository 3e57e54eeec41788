import type { TextIndex } from '../memory/text-index.ts'

/** Similarity (0..1, where 0.5 is unrelated) a memory needs to be worth recalling. */
const recallThreshold = 0.75
const maxRecalled = 3
const maxRecalledChars = 1500

/**
 * Stores one exchange (the question and the answer) as a memory of its owner, so later
 * conversations can recall it.
 */
export async function rememberExchange(
  deps: { semantic: TextIndex },
  exchange: {
    id: string
    ownerId: string
    conversationId: string
    question: string
    answer: string
    at: number
  },
): Promise<void> {
  await deps.semantic.upsert([
    {
      id: exchange.id,
      metadata: {
        owner: exchange.ownerId,
        conversationId: exchange.conversationId,
        text: `Q: ${exchange.question}\nA: ${exchange.answer}`,
        createdAt: exchange.at,
        kind: 'exchange',
      },
    },
  ])
}

/**
 * Earlier exchanges of the same owner, from other conversations, that resemble `question`:
 * at most three, within a character budget, best first. The current conversation is already
 * in the context as history, so it is left out.
 */
export async function recallMemories(
  deps: { semantic: TextIndex },
  query: { ownerId: string; conversationId: string; question: string },
  signal?: AbortSignal,
): Promise<string[]> {
  const matches = await deps.semantic.query(
    query.question,
    { topK: maxRecalled + 5, filter: { owner: query.ownerId, kind: 'exchange' } },
    signal,
  )
  const recalled: string[] = []
  let budget = maxRecalledChars
  for (const match of matches) {
    if (match.score < recallThreshold || match.metadata.conversationId === query.conversationId) {
      continue
    }
    if (match.metadata.text.length > budget || recalled.length === maxRecalled) break
    recalled.push(match.metadata.text)
    budget -= match.metadata.text.length
  }
  return recalled
}
