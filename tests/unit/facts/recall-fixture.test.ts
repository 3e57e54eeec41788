import { describe, expect, it } from 'vitest'
import { defaultRecallOptions } from '../../../src/core/facts/recall-memories.ts'
import { createHashingEmbedder } from '../../../src/core/memory/hashing-embedder.ts'
import { loadRecallFixture, scoreRecall } from '../../support/recall-fixture.ts'

const hashing = createHashingEmbedder({ dimension: 384 })

describe('recall on the fixture (bench/memory/recall.ts prints every embedder)', () => {
  it('has at least 100 facts, paraphrased questions and questions nothing answers', () => {
    const fixture = loadRecallFixture()
    expect(fixture.facts.length).toBeGreaterThanOrEqual(100)
    expect(fixture.questions.length).toBeGreaterThanOrEqual(50)
    expect(fixture.unanswerable.length).toBeGreaterThanOrEqual(20)
  })

  it('built-in embedder, hybrid (the default): paraphrases recalled, unrelated questions not', async () => {
    const score = await scoreRecall(hashing)
    expect(score.recallAt3).toBeGreaterThanOrEqual(0.75)
    expect(score.falseRecall).toBeLessThanOrEqual(0.05)
  })

  it('the lexical half is what makes paraphrases work offline', async () => {
    const vectorOnly = await scoreRecall(hashing, {
      ...defaultRecallOptions,
      lexicalWeight: 0,
      scoreFloor: 0.3,
    })
    const hybrid = await scoreRecall(hashing)
    expect(vectorOnly.recallAt3).toBeLessThan(0.4)
    expect(hybrid.recallAt3).toBeGreaterThan(vectorOnly.recallAt3 + 0.3)
    expect(hybrid.falseRecall).toBeLessThan(vectorOnly.falseRecall)
  })
})
