import { describe, expect, it } from 'vitest'
import { listMemories } from '../../../src/core/facts/manage-memories.ts'
import { memoryTtlMs, purgeExpiredMemories } from '../../../src/core/facts/memory-retention.ts'
import { recallMemories } from '../../../src/core/facts/recall-memories.ts'
import { storeFact } from '../../../src/core/facts/store-fact.ts'
import { createEmbeddingTextIndex } from '../../../src/core/memory/embedding-text-index.ts'
import { createHashingEmbedder } from '../../../src/core/memory/hashing-embedder.ts'
import { createInMemoryVectorStore } from '../../../src/core/memory/in-memory-vector-store.ts'

const day = 86_400_000
const now = Date.UTC(2026, 10, 30)
const clock = () => now
const ttl = memoryTtlMs(30)
const ownerId = 'ann'

/** A fresh index holding a fact stored 40 days ago and one stored yesterday. */
async function remembered() {
  const semantic = createEmbeddingTextIndex({
    embedder: createHashingEmbedder({ dimension: 384 }),
    vectors: createInMemoryVectorStore({ dimension: 384 }),
  })
  const fact = (text: string, at: number) =>
    storeFact({ semantic }, { ownerId, text, conversationId: 'c-1', messageId: 'm-1', at })
  await fact("The user's cat is called Miso", now - 40 * day)
  await fact('The user lives in Lisbon', now - day)
  const stored = async () =>
    (await semantic.list({ owner: ownerId })).map((memory) => memory.metadata.text)
  return { semantic, fact, stored }
}

const ask = (semantic: Parameters<typeof recallMemories>[0]['semantic'], question: string) => ({
  withTtl: () => recallMemories({ semantic, memoryTtlMs: ttl, now: clock }, { ownerId, question }),
  withoutTtl: () => recallMemories({ semantic, now: clock }, { ownerId, question }),
})

describe('MEMORY_TTL_DAYS', () => {
  it('is days in milliseconds, and unset keeps memories', () => {
    expect(memoryTtlMs(30)).toBe(30 * day)
    expect(memoryTtlMs(undefined)).toBeUndefined()
  })

  it('never recalls an expired memory; a fresh one is recalled as before', async () => {
    const { semantic } = await remembered()
    expect(await ask(semantic, 'What is my cat called?').withTtl()).toEqual([])
    expect((await ask(semantic, 'Where do I live?').withTtl()).map((m) => m.text)).toEqual([
      'The user lives in Lisbon',
    ])
    // Without a TTL the old fact is still recalled.
    expect((await ask(semantic, 'What is my cat called?').withoutTtl()).map((m) => m.text)).toEqual(
      ["The user's cat is called Miso"],
    )
  })

  it('leaves expired memories out of the listing and purges them in the background', async () => {
    const { semantic, stored } = await remembered()
    const deferred: Promise<unknown>[] = []
    const listed = await listMemories(
      { semantic, memoryTtlMs: ttl, now: clock, defer: (p) => deferred.push(p) },
      ownerId,
    )
    expect(listed.map((memory) => memory.text)).toEqual(['The user lives in Lisbon'])
    expect(deferred).toHaveLength(1)
    await Promise.all(deferred)
    expect(await stored()).toEqual(['The user lives in Lisbon'])
  })

  it('keeps and lists everything when unset', async () => {
    const { semantic, stored } = await remembered()
    const listed = await listMemories({ semantic, now: () => now + 3650 * day }, ownerId)
    expect(listed).toHaveLength(2)
    expect(await purgeExpiredMemories({ semantic, now: clock }, ownerId, 500)).toBe(0)
    expect(await stored()).toHaveLength(2)
  })

  it('purges only what is past the TTL, and only the owner’s', async () => {
    const { semantic, stored } = await remembered()
    await storeFact(
      { semantic },
      {
        ownerId: 'bob',
        text: 'The user plays the cello',
        conversationId: 'c-2',
        messageId: 'm-2',
        at: now - 90 * day,
      },
    )
    expect(
      await purgeExpiredMemories({ semantic, memoryTtlMs: ttl, now: clock }, ownerId, 500),
    ).toBe(1)
    expect(await stored()).toEqual(['The user lives in Lisbon'])
    expect(await semantic.list({ owner: 'bob' })).toHaveLength(1)
  })

  it('ages an updated fact from its update', async () => {
    const { semantic, fact, stored } = await remembered()
    expect(await fact("The user's cat is named Miso", now - 2 * day)).toBe('updated')
    expect((await ask(semantic, 'What is my cat called?').withTtl()).map((m) => m.text)).toEqual([
      "The user's cat is named Miso",
    ])
    const listed = await listMemories({ semantic, memoryTtlMs: ttl, now: clock }, ownerId)
    expect(listed).toHaveLength(2)
    expect(await stored()).toHaveLength(2)
  })
})
