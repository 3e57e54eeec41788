/**
 * Recall on the fixture (tests/fixtures/recall-facts.json: 102 facts of one user, 74
 * paraphrased questions, 25 that none answers), per embedder and scoring: recall@3 and the
 * false-recall rate. `npx tsx bench/memory/recall.ts`
 */
import OpenAI from 'openai'
import { defaultRecallOptions } from '../../src/core/facts/recall-memories.ts'
import { createHashingEmbedder } from '../../src/core/memory/hashing-embedder.ts'
import { createOpenAIEmbedder } from '../../src/core/memory/openai-embedder.ts'
import { startMockLlm } from '../../tests/support/mock-llm/index.ts'
import { scoreRecall } from '../../tests/support/recall-fixture.ts'
import { printTable } from '../stores/bench-table.ts'

const hashing = createHashingEmbedder({ dimension: 384 })
const mock = await startMockLlm({ embeddingDimensions: 384 })
// The mock's vectors are hashes of the whole text: an embedder that knows nothing, which
// shows what the lexical half alone is worth behind an EMBEDDING_MODEL.
const opaque = createOpenAIEmbedder({
  client: new OpenAI({ apiKey: 'mock', baseURL: `${mock.url}/v1`, maxRetries: 0 }),
  model: 'mock-embed',
  dimension: 384,
  requestDimension: true,
})
const rows: (string | number)[][] = []
const cases = [
  ['hashing (built-in), vector only, floor 0.3', hashing, { lexicalWeight: 0, scoreFloor: 0.3 }],
  ['hashing (built-in), vector only, floor 0.5', hashing, { lexicalWeight: 0, scoreFloor: 0.5 }],
  ['hashing (built-in) + lexical (default)', hashing, {}],
  ['opaque mock embeddings + lexical', opaque, {}],
  ['lexical only', hashing, { lexicalWeight: 1 }],
] as const
try {
  for (const [name, embedder, options] of cases) {
    const score = await scoreRecall(embedder, { ...defaultRecallOptions, ...options })
    rows.push([name, score.recallAt3.toFixed(3), score.falseRecall.toFixed(3)])
  }
} finally {
  await mock.close()
}
console.log('\nRecall on the fixture\n')
printTable(['embedder and scoring', 'recall@3', 'false recall'], rows)
