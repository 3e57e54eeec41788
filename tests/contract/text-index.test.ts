import { Index } from '@upstash/vector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StoreError } from '../../src/core/errors.ts'
import { createEmbeddingTextIndex } from '../../src/core/memory/embedding-text-index.ts'
import { createHashingEmbedder } from '../../src/core/memory/hashing-embedder.ts'
import { createInMemoryVectorStore } from '../../src/core/memory/in-memory-vector-store.ts'
import type { TextIndex } from '../../src/core/memory/text-index.ts'
import { createUpstashTextIndex } from '../../src/core/memory/upstash-text-index.ts'
import {
  startUpstashVectorEmulator,
  type UpstashVectorEmulator,
} from '../support/upstash-vector-emulator.ts'

const embedder = createHashingEmbedder({ dimension: 384 })
const memory = (id: string, owner: string, text: string) => ({
  id,
  metadata: { owner, text, createdAt: 1, kind: 'exchange', conversationId: 'c1' },
})

/** What every TextIndex must do, whoever embeds. */
function textIndexContract(name: string, make: () => TextIndex, embedding: 'client' | 'server') {
  describe(`TextIndex: ${name}`, () => {
    it('finds the most similar memory first, for its owner only', async () => {
      const index = make()
      await index.upsert([
        memory('a', 'ann', 'My cat is called Miso and she likes tuna'),
        memory('b', 'ann', 'The quarterly report is due on Friday'),
        memory('c', 'bob', 'My cat is called Pixel'),
      ])
      const matches = await index.query('what is my cat called', { filter: { owner: 'ann' } })
      expect(matches.map((m) => m.id)).toEqual(['a', 'b'])
      expect(matches[0]?.score).toBeGreaterThan(matches[1]?.score ?? 1)
      expect(matches[0]?.metadata.text).toContain('Miso')
      expect(index.embedding).toBe(embedding)
    })

    it('refuses a query without an owner', async () => {
      const error = await make()
        .query('anything', { filter: {} as { owner: string } })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StoreError)
    })
  })
}

textIndexContract(
  'our embedder over the in-memory vector store',
  () =>
    createEmbeddingTextIndex({ embedder, vectors: createInMemoryVectorStore({ dimension: 384 }) }),
  'client',
)

describe('Upstash Vector', () => {
  let plain: UpstashVectorEmulator
  let withModel: UpstashVectorEmulator
  let narrow: UpstashVectorEmulator
  beforeAll(async () => {
    plain = await startUpstashVectorEmulator({ dimension: 384 })
    withModel = await startUpstashVectorEmulator({
      dimension: 384,
      embeddingModel: {
        name: 'BAAI/bge-small-en-v1.5',
        embed: async (text) => (await embedder.embed([text]))[0] ?? [],
      },
    })
    narrow = await startUpstashVectorEmulator({ dimension: 8 })
  })
  afterAll(async () => {
    await Promise.all([plain?.close(), withModel?.close(), narrow?.close()])
  })
  const client = (emulator: UpstashVectorEmulator) =>
    new Index({ url: emulator.url, token: emulator.token, retry: false })

  textIndexContract(
    'index without a model: we embed',
    () => createUpstashTextIndex({ index: client(plain), embedder }),
    'client',
  )
  textIndexContract(
    'index with an embedding model: the server embeds',
    () => createUpstashTextIndex({ index: client(withModel), embedder }),
    'server',
  )

  it('sends text, not vectors, to an index with a model', async () => {
    const index = createUpstashTextIndex({ index: client(withModel), embedder, namespace: 'text' })
    await index.upsert([memory('t1', 'ann', 'stored as data')])
    const stored = withModel.state.namespace('text')?.get('t1')
    expect(stored?.data).toBe('stored as data')
  })

  it('explains a dimension mismatch instead of failing every request obscurely', async () => {
    const index = createUpstashTextIndex({ index: client(narrow), embedder })
    const error = (await index
      .query('x', { filter: { owner: 'ann' } })
      .catch((e: unknown) => e)) as StoreError
    expect(error).toBeInstanceOf(StoreError)
    expect(error.code).toBe('store_misconfigured')
    expect(error.retryable).toBe(false)
    expect(error.message).toContain('dimension 8')
  })
})
