import type { TextIndex } from '../memory/text-index.ts'
import { factHash, factId } from './fact-identity.ts'
import { contentWords } from './lexical-score.ts'

/** Vector score from which a new fact may be a rewording of its nearest one. */
export const sameFactAbove = 0.85

/**
 * Whether two facts say the same thing: similar vectors, and the content words of one hold
 * all of the other's ("cat called Miso" / "cat named Miso", "works as a nurse" / "works as a
 * nurse at St Mary's"). A vector alone cannot tell "allergic to peanuts" from "allergic to
 * shellfish" (0.89 with the hashing embedder); the differing word can.
 */
export function sameFact(score: number, a: string, b: string): boolean {
  if (score < sameFactAbove) return false
  const [x, y] = [contentWords(a), contentWords(b)]
  const within = (small: Set<string>, large: Set<string>) => [...small].every((w) => large.has(w))
  return within(x, y) || within(y, x)
}

/** A fact to keep, with where it was said. */
export interface NewFact {
  ownerId: string
  text: string
  conversationId: string
  messageId: string
  at: number
}

/**
 * Stores a fact once. Deterministically first: its id is the owner and the normalised text's
 * hash, so the same fact lands on the same record (and pgvector holds `(owner_id, hash)`
 * unique). Then by similarity: when the owner's nearest fact is the same fact (`sameFact`),
 * the new wording and provenance replace it (update, not add).
 */
export async function storeFact(
  deps: { semantic: TextIndex },
  fact: NewFact,
  signal?: AbortSignal,
): Promise<'added' | 'updated' | 'duplicate'> {
  const hash = await factHash(fact.text)
  const id = factId(fact.ownerId, hash)
  const [nearest] = await deps.semantic.query(
    fact.text,
    { topK: 1, filter: { owner: fact.ownerId, kind: 'fact' } },
    signal,
  )
  if (nearest && (nearest.id === id || nearest.metadata.hash === hash)) return 'duplicate'
  await deps.semantic.upsert(
    [
      {
        id,
        metadata: {
          owner: fact.ownerId,
          conversationId: fact.conversationId,
          messageId: fact.messageId,
          text: fact.text,
          createdAt: fact.at,
          kind: 'fact',
          hash,
        },
      },
    ],
    signal,
  )
  // Written before the old one goes, so a failure in between leaves two facts, never none.
  if (nearest && sameFact(nearest.score, nearest.metadata.text, fact.text)) {
    await deps.semantic.delete({ ids: [nearest.id] })
    return 'updated'
  }
  return 'added'
}
