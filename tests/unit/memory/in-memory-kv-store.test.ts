import { describe, expect, it } from 'vitest'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'

describe('in-memory KvStore', () => {
  it('honours the TTL to the millisecond of the injected clock', async () => {
    let now = 1_000
    const store = createInMemoryKvStore({ now: () => now })
    await store.set('k', 'v', { ttlMs: 100 })
    await store.append('list', ['a'], { ttlMs: 50 })
    now += 49
    expect(await store.length('list')).toBe(1)
    now += 1
    expect(await store.length('list')).toBe(0)
    now += 49
    expect(await store.get('k')).toBe('v')
    now += 1
    expect(await store.get('k')).toBeUndefined()
    expect(await store.set('k', 'again', { ifAbsent: true })).toBe(true)
  })

  it('keeps a list TTL when appending without one', async () => {
    let now = 0
    const store = createInMemoryKvStore({ now: () => now })
    await store.append('list', ['a'], { ttlMs: 10 })
    await store.append('list', ['b'])
    now = 10
    expect(await store.length('list')).toBe(0)
  })

  it('evicts the least recently used key beyond maxEntries', async () => {
    const store = createInMemoryKvStore({ maxEntries: 3 })
    await store.set('a', 1)
    await store.set('b', 2)
    await store.append('c', [3])
    expect(await store.get('a')).toBe(1) // a is now the most recently used
    await store.set('d', 4)
    expect(await store.get('b')).toBeUndefined()
    expect(await store.get('a')).toBe(1)
    expect(await store.range('c', 0, -1)).toEqual([3])
    expect(await store.get('d')).toBe(4)
    // Recency is now a, c, d (oldest first): a goes next.
    await store.increment('e')
    expect(await store.get('a')).toBeUndefined()
    expect(await store.length('c')).toBe(1)
  })

  it('evicts exactly as a reference LRU does through long mixed churn', async () => {
    // The store keeps one iterator across evictions; it must never fall behind a live key,
    // whatever mix of touches, deletions, refills and emptyings comes.
    const store = createInMemoryKvStore({ maxEntries: 8 })
    const recency: string[] = [] // oldest first
    const touch = (key: string) => {
      const at = recency.indexOf(key)
      if (at >= 0) recency.splice(at, 1)
      recency.push(key)
      if (recency.length > 8) recency.shift()
    }
    let seed = 7
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed % n
    }
    for (let step = 0; step < 5_000; step++) {
      const key = `k${random(20)}`
      const op = random(10)
      if (op < 4) {
        await store.set(key, step)
        touch(key)
      } else if (op < 6) {
        await store.append(`${key}:list`, [step])
        touch(`${key}:list`)
      } else if (op < 9) {
        const found = (await store.get(key)) !== undefined
        expect(found).toBe(recency.includes(key))
        if (found) touch(key)
      } else if (random(50) === 0) {
        for (const gone of recency.splice(0)) await store.delete(gone)
      } else {
        await store.delete(key)
        if (recency.includes(key)) recency.splice(recency.indexOf(key), 1)
      }
    }
    for (let i = 0; i < 20; i++) {
      expect((await store.get(`k${i}`)) !== undefined).toBe(recency.includes(`k${i}`))
    }
  })

  it('never holds more than maxEntries keys', async () => {
    const store = createInMemoryKvStore({ maxEntries: 10 })
    for (let i = 0; i < 100; i++) await store.set(`k${i}`, i)
    let present = 0
    for (let i = 0; i < 100; i++) if ((await store.get(`k${i}`)) !== undefined) present++
    expect(present).toBe(10)
    expect(await store.get('k99')).toBe(99)
  })

  it('evicts the least recently used keys beyond maxBytes, values and list items alike', async () => {
    const store = createInMemoryKvStore({ maxBytes: 3000 })
    const kilobyte = 'x'.repeat(1000)
    await store.set('a', kilobyte)
    await store.append('b', [kilobyte])
    expect(await store.get('a')).toBe(kilobyte) // a is now the most recently used
    await store.append('b', [kilobyte]) // b now holds two: the third kilobyte-and-more evicts a
    expect(await store.get('a')).toBeUndefined()
    expect(await store.length('b')).toBe(2)
    await store.set('c', kilobyte)
    expect(await store.length('b')).toBe(0)
    expect(await store.get('c')).toBe(kilobyte)
  })

  it('frees the bytes of deleted, trimmed, replaced and expired keys', async () => {
    let now = 0
    const store = createInMemoryKvStore({ maxBytes: 2500, now: () => now })
    const kilobyte = 'x'.repeat(1000)
    await store.set('keep', kilobyte)
    // Without the freeing, each round would add a kilobyte and push `keep` out.
    for (let round = 0; round < 5; round++) {
      await store.set('gone', kilobyte)
      await store.delete('gone')
      await store.append('list', ['a', kilobyte])
      await store.trim('list', 0, 0)
      await store.append('emptied', [kilobyte])
      await store.trim('emptied', 1, 0)
      await store.set('same', kilobyte)
      await store.set('same', 'small')
      await store.set('brief', kilobyte, { ttlMs: 1 })
      now += 1
      expect(await store.get('brief')).toBeUndefined()
    }
    expect(await store.get('keep')).toBe(kilobyte)
  })

  it('counts the bytes of what it holds: the JSON text of values and list items', async () => {
    const store = createInMemoryKvStore({ maxBytes: 3000 })
    const zeros = Array.from({ length: 1000 }, () => 0)
    await store.set('small', 1)
    // 2001 characters of JSON (a thousand numbers would be many times that as objects).
    await store.set('zeros', zeros)
    await store.append('list', [zeros.slice(0, 200)])
    expect(await store.length('list')).toBe(1)
    expect(await store.get('zeros')).toHaveLength(1000)
    expect(await store.get('small')).toBe(1)
    // 401 characters more pass the bound: the least recently used key goes.
    await store.append('list', [zeros.slice(0, 200)])
    expect(await store.get('zeros')).toBeUndefined()
    expect(await store.get('small')).toBe(1)
    expect(await store.length('list')).toBe(2)
  })

  it('keeps one value larger than maxBytes rather than nothing', async () => {
    const store = createInMemoryKvStore({ maxBytes: 100 })
    await store.set('small', 1)
    await store.set('big', 'x'.repeat(1000))
    expect(await store.get('small')).toBeUndefined()
    expect(await store.get('big')).toHaveLength(1000)
  })

  it('copies list items in and out', async () => {
    const store = createInMemoryKvStore()
    const item = { n: 1 }
    await store.append('list', [item])
    item.n = 2
    const [read] = await store.range<{ n: number }>('list', 0, 0)
    if (read) read.n = 3
    expect(await store.range('list', 0, -1)).toEqual([{ n: 1 }])
  })
})
