import { describe, expect, it } from 'vitest'
import { createHashingEmbedder, fnv1a32 } from '../../../src/core/memory/hashing-embedder.ts'

const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0)

describe('hashing embedder', () => {
  const embedder = createHashingEmbedder()

  it('uses the reference FNV-1a 32-bit hash over UTF-8', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5)
    expect(fnv1a32('a')).toBe(0xe40c292c)
    expect(fnv1a32('foobar')).toBe(0xbf9cf968)
    // é is two UTF-8 bytes; the same bytes fed as Latin-1 code units would hash differently.
    expect(fnv1a32('é')).not.toBe(fnv1a32('\u00c3\u00a9'))
    expect(fnv1a32('🚀')).toBe(fnv1a32('\u{1f680}'))
  })

  it('returns unit vectors of the configured dimension, deterministically', async () => {
    const texts = ['The cat sat on the mat', '東京は日本の首都です 🚀', '', '!!!']
    const first = await embedder.embed(texts)
    const again = await createHashingEmbedder().embed(texts)
    expect(first).toEqual(again)
    for (const vector of first) {
      expect(vector).toHaveLength(384)
      expect(Math.hypot(...vector)).toBeCloseTo(1, 10)
    }
    const small = createHashingEmbedder({ dimension: 16 })
    expect(small.dimension).toBe(16)
    expect((await small.embed(['x']))[0]).toHaveLength(16)
    expect(small.id).not.toBe(embedder.id)
  })

  it('scores related texts above unrelated ones', async () => {
    const [query, related, paraphrase, unrelated, other] = await embedder.embed([
      'How do I reset my password?',
      'Steps to reset a forgotten password',
      'password resetting instructions',
      'The weather in Lisbon is sunny today',
      'Recipe for a chocolate cake',
    ])
    const q = query as number[]
    expect(dot(q, related as number[])).toBeGreaterThan(dot(q, unrelated as number[]))
    expect(dot(q, related as number[])).toBeGreaterThan(dot(q, other as number[]))
    // Trigrams let "resetting" meet "reset" without any shared whole word but "password".
    expect(dot(q, paraphrase as number[])).toBeGreaterThan(dot(q, unrelated as number[]))
    expect(dot(q, q)).toBeCloseTo(1, 10)
  })

  it('matches CJK text by character trigrams', async () => {
    const [tokyo, capital, cake] = await embedder.embed([
      '東京は日本の首都',
      '日本の首都はどこ',
      'ケーキの作り方',
    ])
    expect(dot(tokyo as number[], capital as number[])).toBeGreaterThan(
      dot(tokyo as number[], cake as number[]),
    )
  })

  it('ignores case and Unicode compatibility forms', async () => {
    const [a, b] = await embedder.embed(['Ｈｅｌｌｏ WORLD', 'hello world'])
    expect(dot(a as number[], b as number[])).toBeCloseTo(1, 10)
  })

  it('stops when the signal is already aborted', async () => {
    await expect(embedder.embed(['x'], AbortSignal.abort())).rejects.toThrow()
  })
})
