import { describe, expect, it } from 'vitest'
import { createCachedEmbedder } from '../../../src/core/memory/cached-embedder.ts'
import type { Embedder } from '../../../src/core/memory/embedder.ts'
import { createHashingEmbedder } from '../../../src/core/memory/hashing-embedder.ts'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'

/** The hashing embedder, counting the texts it is asked to embed. */
function counting() {
  const inner = createHashingEmbedder({ dimension: 16 })
  const asked: string[][] = []
  const embedder: Embedder = {
    id: inner.id,
    dimension: inner.dimension,
    embed: async (texts, signal) => {
      asked.push([...texts])
      return inner.embed(texts, signal)
    },
  }
  return { embedder, asked, inner }
}

describe('createCachedEmbedder', () => {
  it('embeds each distinct text once and returns the same vectors in order', async () => {
    const { embedder, asked, inner } = counting()
    const cached = createCachedEmbedder({ embedder, kv: createInMemoryKvStore() })
    const first = await cached.embed(['alpha', 'beta'])
    const second = await cached.embed(['beta', 'gamma', 'gamma', 'alpha'])
    expect(asked).toEqual([['alpha', 'beta'], ['gamma']])
    expect(second).toEqual(await inner.embed(['beta', 'gamma', 'gamma', 'alpha']))
    expect(second[0]).toEqual(first[1])
    expect(await cached.embed(['alpha'])).toEqual([first[0]])
    expect(asked).toHaveLength(2)
  })

  it('embeds anyway when the store fails', async () => {
    const { embedder, asked } = counting()
    const kv = createInMemoryKvStore()
    kv.get = async () => {
      throw new Error('down')
    }
    const cached = createCachedEmbedder({ embedder, kv })
    expect(await cached.embed(['x'])).toHaveLength(1)
    expect(asked).toEqual([['x']])
  })
})
