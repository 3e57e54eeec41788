import { Index } from '@upstash/vector'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  startUpstashVectorEmulator,
  type UpstashVectorEmulator,
} from './upstash-vector-emulator.ts'

type Meta = Record<string, unknown>

describe('Upstash Vector emulator through @upstash/vector', () => {
  let emulator: UpstashVectorEmulator
  let index: Index<Meta>

  beforeAll(async () => {
    emulator = await startUpstashVectorEmulator({ dimension: 3, token: 'vector-token' })
    index = new Index<Meta>({ url: emulator.url, token: emulator.token, retry: false })
  })
  afterAll(() => emulator.close())
  beforeEach(() => index.reset({ all: true }))

  async function seed(): Promise<void> {
    // The REST API takes data next to a vector; the SDK's types do not say so.
    const x = {
      id: 'x',
      vector: [1, 0, 0],
      metadata: { owner: 'a', n: 1, tags: ['t1'] },
      data: 'ex',
    }
    await index.upsert([
      x,
      { id: 'xy', vector: [1, 1, 0], metadata: { owner: 'a', n: 2, tags: ['t2'] } },
      { id: 'y', vector: [0, 1, 0], metadata: { owner: 'b', n: 3 } },
      { id: 'minus-x', vector: [-1, 0, 0], metadata: { owner: 'b', n: 4 } },
    ])
  }

  it('upserts and queries with normalised cosine scores, best first', async () => {
    await seed()
    const results = await index.query({ vector: [1, 0, 0], topK: 10, includeMetadata: true })
    expect(results.map((r) => r.id)).toEqual(['x', 'xy', 'y', 'minus-x'])
    expect(results[0]?.score).toBeCloseTo(1)
    expect(results[1]?.score).toBeCloseTo((1 + Math.SQRT1_2) / 2)
    expect(results[2]?.score).toBeCloseTo(0.5)
    expect(results[3]?.score).toBeCloseTo(0)
    expect(results[0]?.metadata).toEqual({ owner: 'a', n: 1, tags: ['t1'] })
    expect(results[0]).not.toHaveProperty('vector')
    const top = await index.query({ vector: [1, 0, 0], topK: 2, includeVectors: true })
    expect(top).toHaveLength(2)
    expect(top[0]?.vector).toEqual([1, 0, 0])
    expect(top[0]).not.toHaveProperty('metadata')
  })

  it('applies filters in queries', async () => {
    await seed()
    const a = await index.query({ vector: [0, 1, 0], topK: 10, filter: "owner = 'a' AND n >= 2" })
    expect(a.map((r) => r.id)).toEqual(['xy'])
    const or = await index.query({
      vector: [0, 1, 0],
      topK: 10,
      filter: "tags CONTAINS 't1' OR owner = 'b' AND n > 3",
    })
    expect(or.map((r) => r.id).sort()).toEqual(['minus-x', 'x'])
    await expect(index.query({ vector: [1, 0, 0], topK: 1, filter: "owner = 'a" })).rejects.toThrow(
      /Invalid filter/,
    )
  })

  it('answers several queries at once, and one query wrapped by queryMany', async () => {
    await seed()
    const many = await index.queryMany([
      { vector: [1, 0, 0], topK: 1 },
      { vector: [0, 1, 0], topK: 1 },
    ])
    expect(many.map((results) => results.map((r) => r.id))).toEqual([['x'], ['y']])
    const one = await index.queryMany([{ vector: [0, 1, 0], topK: 1 }])
    expect(one.map((results) => results.map((r) => r.id))).toEqual([['y']])
  })

  it('fetches by ids with nulls, and by prefix', async () => {
    await seed()
    const fetched = await index.fetch(['y', 'nope', 'x'], {
      includeMetadata: true,
      includeData: true,
    })
    expect(fetched).toEqual([
      { id: 'y', metadata: { owner: 'b', n: 3 } },
      null,
      { id: 'x', metadata: { owner: 'a', n: 1, tags: ['t1'] }, data: 'ex' },
    ])
    const byPrefix = await index.fetch({ prefix: 'x' })
    expect(byPrefix.map((r) => r?.id)).toEqual(['x', 'xy'])
  })

  it('pages through a range with a string cursor ending in ""', async () => {
    await seed()
    const first = await index.range({ cursor: '0', limit: 3 })
    expect(first.vectors.map((v) => v.id)).toEqual(['minus-x', 'x', 'xy'])
    const second = await index.range({ cursor: first.nextCursor, limit: 3 })
    expect(second.vectors.map((v) => v.id)).toEqual(['y'])
    expect(second.nextCursor).toBe('')
  })

  it('deletes by id, ids, prefix and filter', async () => {
    await seed()
    expect(await index.delete('y')).toEqual({ deleted: 1 })
    expect(await index.delete(['y', 'x'])).toEqual({ deleted: 1 })
    expect(await index.delete({ prefix: 'x' })).toEqual({ deleted: 1 })
    expect(await index.delete({ filter: "owner = 'b'" })).toEqual({ deleted: 1 })
    expect((await index.info()).vectorCount).toBe(0)
  })

  it('updates metadata with PATCH and OVERWRITE, and vectors', async () => {
    await seed()
    await index.update({
      id: 'x',
      metadata: { n: null, extra: { deep: 1 } },
      metadataUpdateMode: 'PATCH',
    })
    expect((await index.fetch(['x'], { includeMetadata: true }))[0]?.metadata).toEqual({
      owner: 'a',
      tags: ['t1'],
      extra: { deep: 1 },
    })
    await index.update({ id: 'x', metadata: { only: true }, metadataUpdateMode: 'OVERWRITE' })
    expect((await index.fetch(['x'], { includeMetadata: true }))[0]?.metadata).toEqual({
      only: true,
    })
    await index.update({ id: 'x', vector: [0, 0, 1] })
    expect((await index.query({ vector: [0, 0, 1], topK: 1 }))[0]?.id).toBe('x')
    expect(await index.update({ id: 'missing', vector: [0, 0, 1] })).toEqual({ updated: 0 })
  })

  it('keeps namespaces apart, lists, resets and deletes them', async () => {
    await seed()
    const ns = index.namespace('other space')
    await ns.upsert({ id: 'x', vector: [0, 0, 1], metadata: { owner: 'z' } })
    expect((await ns.query({ vector: [1, 0, 0], topK: 10 })).map((r) => r.id)).toEqual(['x'])
    expect((await index.listNamespaces()).sort()).toEqual(['', 'other space'])
    const info = await index.info()
    expect(info.vectorCount).toBe(5)
    expect(info.dimension).toBe(3)
    expect(info.similarityFunction).toBe('COSINE')
    expect(info.namespaces['other space']?.vectorCount).toBe(1)
    await ns.reset()
    expect((await index.info()).namespaces['other space']?.vectorCount).toBe(0)
    await index.deleteNamespace('other space')
    expect(await index.listNamespaces()).toEqual([''])
    await expect(index.deleteNamespace('never')).rejects.toThrow(/does not exist/)
  })

  it('answers 422 for a dimension mismatch and for data without an embedding model', async () => {
    await expect(index.upsert({ id: 'bad', vector: [1, 2] })).rejects.toThrow(
      'Invalid vector dimension: 2, expected: 3',
    )
    await expect(index.query({ vector: [1, 2, 3, 4], topK: 1 })).rejects.toThrow(/dimension/)
    await expect(index.upsert({ id: 'd', data: 'hello' })).rejects.toThrow(/embedding model/)
    await expect(index.query({ data: 'hello', topK: 1 })).rejects.toThrow(/embedding model/)
    const res = await fetch(`${emulator.url}/upsert`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.token}` },
      body: JSON.stringify({ id: 'bad', vector: [1] }),
    })
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({
      error: 'Invalid vector dimension: 1, expected: 3',
      status: 422,
    })
  })

  it('rejects a wrong token with 401', async () => {
    const wrong = new Index({ url: emulator.url, token: 'nope', retry: false })
    await expect(wrong.info()).rejects.toThrow(/Unauthorized/)
  })
})
