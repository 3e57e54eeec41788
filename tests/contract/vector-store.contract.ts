import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StoreError } from '../../src/core/errors.ts'
import type {
  VectorFilter,
  VectorMetadata,
  VectorRecord,
  VectorStore,
} from '../../src/core/memory/vector-store.ts'

/** One implementation under test, as the contract suite needs it. */
export interface VectorContractSubject {
  store: VectorStore
  /** The same kind of store pointed at a backend that does not answer, when there is one. */
  unreachable?: () => Promise<VectorStore>
  /** Removes whatever the suite stored. */
  cleanup?(): Promise<void>
}

async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StoreError)
  return error as StoreError
}

/**
 * The behaviour every `VectorStore` must show, whatever its dimension (at least 3). Run it
 * once per implementation: `vectorStoreContract('pgvector', async () => ({ store }))`.
 * Every test works under its own random owners, so a shared index is fine.
 */
export function vectorStoreContract(
  name: string,
  makeSubject: () => Promise<VectorContractSubject>,
): void {
  describe(`VectorStore contract: ${name}`, () => {
    let subject: VectorContractSubject
    let store: VectorStore
    let dim: number

    beforeAll(async () => {
      subject = await makeSubject()
      store = subject.store
      dim = store.dimension
    })
    afterAll(async () => {
      await subject?.cleanup?.()
    })

    /** Unit vector at `angle` radians in the plane of the first two axes. */
    const at = (angle: number) => {
      const v = new Array<number>(dim).fill(0)
      v[0] = Math.cos(angle)
      v[1] = Math.sin(angle)
      return v
    }
    const axis = (i: number) => {
      const v = new Array<number>(dim).fill(0)
      v[i] = 1
      return v
    }
    const meta = (owner: string, extra: Partial<VectorMetadata> = {}): VectorMetadata => ({
      owner,
      text: `memory of ${owner}`,
      createdAt: 1_700_000_000_000,
      ...extra,
    })
    const record = (id: string, vector: number[], metadata: VectorMetadata): VectorRecord => ({
      id,
      vector,
      metadata,
    })

    it('returns the top k by score, best first, with metadata', async () => {
      const owner = `u-${randomUUID()}`
      const ids = Array.from({ length: 6 }, (_, i) => `${owner}-${i}`)
      // Shuffled on purpose: order must come from the scores.
      await store.upsert(
        [3, 0, 5, 1, 4, 2].map((i) =>
          record(ids[i] as string, at(i * 0.25), meta(owner, { kind: `k${i}` })),
        ),
      )
      const matches = await store.query(at(0), { topK: 4, filter: { owner } })
      expect(matches.map((m) => m.id)).toEqual(ids.slice(0, 4))
      for (let i = 1; i < matches.length; i++) {
        expect(matches[i - 1]?.score).toBeGreaterThanOrEqual(matches[i]?.score as number)
      }
      expect(matches[2]?.metadata).toEqual(meta(owner, { kind: 'k2' }))
      expect(await store.query(at(0), { filter: { owner } })).toHaveLength(6)
    })

    it('normalises scores to (1 + cosine) / 2', async () => {
      const owner = `u-${randomUUID()}`
      const scaled = axis(0).map((x) => x * 5)
      await store.upsert([
        record(`${owner}-same`, scaled, meta(owner)),
        record(`${owner}-orthogonal`, axis(1), meta(owner)),
        record(
          `${owner}-opposite`,
          axis(0).map((x) => -x),
          meta(owner),
        ),
        record(`${owner}-diagonal`, at(Math.PI / 4), meta(owner)),
      ])
      const scores = Object.fromEntries(
        (await store.query(axis(0), { filter: { owner } })).map((m) => [
          m.id.slice(owner.length + 1),
          m.score,
        ]),
      )
      expect(scores.same).toBeCloseTo(1, 4)
      expect(scores.diagonal).toBeCloseTo((1 + Math.SQRT1_2) / 2, 4)
      expect(scores.orthogonal).toBeCloseTo(0.5, 4)
      expect(scores.opposite).toBeCloseTo(0, 4)
    })

    it('never returns another owner\u2019s vectors, whatever the owner string holds', async () => {
      const base = randomUUID()
      const owners = [
        `alice-${base}`,
        `bob-${base}`,
        `o'brien-${base}`,
        `say "hi"-${base}`,
        `back\\slash-${base}`,
      ]
      const injection = `x' OR owner != 'nobody-${base}`
      await store.upsert(
        [...owners, injection].map((owner, i) => record(`${base}-${i}`, axis(0), meta(owner))),
      )
      for (const owner of [...owners, injection]) {
        const matches = await store.query(axis(0), { topK: 50, filter: { owner } })
        expect(matches.map((m) => m.metadata.owner)).toEqual([owner])
      }
      expect(await store.query(axis(0), { topK: 50, filter: { owner: `carol-${base}` } })).toEqual(
        [],
      )
    })

    it('filters by conversation and kind within an owner', async () => {
      const owner = `u-${randomUUID()}`
      const other = `u-${randomUUID()}`
      await store.upsert([
        record(`${owner}-a1`, at(0.1), meta(owner, { conversationId: 'a', kind: 'fact' })),
        record(`${owner}-a2`, at(0.2), meta(owner, { conversationId: 'a', kind: 'summary' })),
        record(`${owner}-b1`, at(0.0), meta(owner, { conversationId: 'b', kind: 'fact' })),
        record(`${other}-a1`, at(0.0), meta(other, { conversationId: 'a', kind: 'fact' })),
      ])
      const inA = await store.query(at(0), { filter: { owner, conversationId: 'a' } })
      expect(inA.map((m) => m.id)).toEqual([`${owner}-a1`, `${owner}-a2`])
      const facts = await store.query(at(0), { filter: { owner, kind: 'fact' } })
      expect(facts.map((m) => m.id)).toEqual([`${owner}-b1`, `${owner}-a1`])
      const both = await store.query(at(0), {
        filter: { owner, conversationId: 'a', kind: 'fact' },
      })
      expect(both.map((m) => m.id)).toEqual([`${owner}-a1`])
    })

    it('replaces a record upserted again under the same id', async () => {
      const owner = `u-${randomUUID()}`
      await store.upsert([record(`${owner}-1`, axis(0), meta(owner, { text: 'old' }))])
      await store.upsert([record(`${owner}-1`, axis(1), meta(owner, { text: 'new 🚀 漢字' }))])
      const [match, ...rest] = await store.query(axis(1), { filter: { owner } })
      expect(rest).toEqual([])
      expect(match?.metadata.text).toBe('new 🚀 漢字')
      expect(match?.score).toBeCloseTo(1, 4)
    })

    it('deletes by ids, counting only those that existed', async () => {
      const owner = `u-${randomUUID()}`
      await store.upsert([1, 2, 3].map((i) => record(`${owner}-${i}`, at(i / 10), meta(owner))))
      expect(await store.delete({ ids: [`${owner}-1`, `${owner}-3`, `${owner}-missing`] })).toBe(2)
      expect(await store.delete({ ids: [] })).toBe(0)
      expect((await store.query(at(0), { filter: { owner } })).map((m) => m.id)).toEqual([
        `${owner}-2`,
      ])
    })

    it('deletes by filter without touching other owners or conversations', async () => {
      const owner = `u-${randomUUID()}`
      const other = `u-${randomUUID()}`
      await store.upsert([
        record(`${owner}-a`, at(0), meta(owner, { conversationId: 'a' })),
        record(`${owner}-b`, at(0), meta(owner, { conversationId: 'b' })),
        record(`${other}-a`, at(0), meta(other, { conversationId: 'a' })),
      ])
      expect(await store.delete({ filter: { owner, conversationId: 'a' } })).toBe(1)
      expect((await store.query(at(0), { filter: { owner } })).map((m) => m.id)).toEqual([
        `${owner}-b`,
      ])
      expect(await store.query(at(0), { filter: { owner: other } })).toHaveLength(1)
      expect(await store.delete({ filter: { owner } })).toBe(1)
      expect(await store.query(at(0), { filter: { owner } })).toEqual([])
    })

    it('refuses vectors of another dimension with a typed, non-retryable error', async () => {
      const owner = `u-${randomUUID()}`
      const short = new Array<number>(dim - 1).fill(0.5)
      for (const error of [
        await storeError(store.upsert([record(`${owner}-x`, short, meta(owner))])),
        await storeError(store.query([...axis(0), 1], { filter: { owner } })),
      ]) {
        expect(error.code).toBe('vector_dimension_mismatch')
        expect(error.retryable).toBe(false)
      }
      expect(await store.query(axis(0), { filter: { owner } })).toEqual([])
    })

    it('refuses a query without an owner filter', async () => {
      const error = await storeError(store.query(axis(0)))
      expect(error.code).toBe('vector_invalid_argument')
    })

    it('refuses a delete by filter without an owner, and deletes nothing', async () => {
      const owner = `keep-${Math.random().toString(36).slice(2)}`
      await store.upsert([record(`${owner}-1`, axis(0), meta(owner))])
      const error = await storeError(
        // A caller bypassing the types: the filter has no owner.
        store.delete({ filter: {} as VectorFilter }),
      )
      expect(error.code).toBe('vector_invalid_argument')
      expect(await store.query(axis(0), { filter: { owner } })).toHaveLength(1)
    })

    it('fails with a retryable StoreError when the backend is down', async (context) => {
      // The in-memory store has no backend that could be down.
      if (!subject.unreachable) {
        const reason = 'in-process store: no network backend to be down'
        console.warn(`[skip] ${context.task.fullName}: ${reason}`)
        return context.skip(reason)
      }
      const down = await subject.unreachable()
      const errors = [
        await storeError(down.query(axis(0), { filter: { owner: 'x' } })),
        await storeError(down.upsert([record('x', axis(0), meta('x'))])),
      ]
      for (const error of errors) expect(error.retryable).toBe(true)
    })
  })
}
