import { readFileSync } from 'node:fs'
import { factHash, factId } from '../../src/core/facts/fact-identity.ts'
import {
  defaultRecallOptions,
  type RecallOptions,
  recallMemories,
} from '../../src/core/facts/recall-memories.ts'
import type { Embedder } from '../../src/core/memory/embedder.ts'
import { createEmbeddingTextIndex } from '../../src/core/memory/embedding-text-index.ts'
import { createInMemoryVectorStore } from '../../src/core/memory/in-memory-vector-store.ts'

/** The recall fixture: facts of one user, questions that paraphrase one of them, and ones none answers. */
export interface RecallFixture {
  facts: string[]
  questions: { q: string; expect: number }[]
  unanswerable: string[]
}

export function loadRecallFixture(): RecallFixture {
  return JSON.parse(
    readFileSync(new URL('../fixtures/recall-facts.json', import.meta.url), 'utf8'),
  ) as RecallFixture
}

/** How well recall did on the fixture. */
export interface RecallScore {
  /** Share of questions whose fact was among the (at most 3) recalled. */
  recallAt3: number
  /** Share of unanswerable questions that recalled anything at all. */
  falseRecall: number
  /** The questions that missed, for reading. */
  missed: string[]
  falselyRecalled: string[]
}

/**
 * Stores the fixture's facts for one owner with `embedder` (in memory) and asks every question
 * through `recallMemories` with `options`, as chat does.
 */
export async function scoreRecall(
  embedder: Embedder,
  options: RecallOptions = defaultRecallOptions,
  fixture: RecallFixture = loadRecallFixture(),
): Promise<RecallScore> {
  const semantic = createEmbeddingTextIndex({
    embedder,
    vectors: createInMemoryVectorStore({ dimension: embedder.dimension }),
  })
  const owner = 'fixture-user'
  const at = Date.UTC(2026, 10, 1)
  await semantic.upsert(
    await Promise.all(
      fixture.facts.map(async (text, i) => {
        const hash = await factHash(text)
        return {
          id: factId(owner, hash),
          metadata: {
            owner,
            text,
            hash,
            kind: 'fact',
            conversationId: 'c-facts',
            createdAt: at + i,
          },
        }
      }),
    ),
  )
  const ask = (question: string) =>
    recallMemories(
      { semantic, now: () => at + 86_400_000 },
      { ownerId: owner, conversationId: 'c-now', question },
      undefined,
      options,
    )
  const missed: string[] = []
  for (const { q, expect } of fixture.questions) {
    const recalled = await ask(q)
    if (!recalled.some((memory) => memory.text === fixture.facts[expect])) missed.push(q)
  }
  const falselyRecalled: string[] = []
  for (const q of fixture.unanswerable) {
    if ((await ask(q)).length > 0) falselyRecalled.push(q)
  }
  return {
    recallAt3: 1 - missed.length / fixture.questions.length,
    falseRecall: falselyRecalled.length / fixture.unanswerable.length,
    missed,
    falselyRecalled,
  }
}
