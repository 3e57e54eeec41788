import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { StoreError } from '../../src/core/errors.ts'
import type { KvStore } from '../../src/core/memory/kv-store.ts'

/** One implementation under test, as the contract suite needs it. */
export interface KvContractSubject {
  store: KvStore
  /**
   * Lets `ms` of store time pass: moves the injected clock, or really waits. Expiry is then
   * checked with polling, so a backend that expires keys a little late still passes.
   */
  elapse(ms: number): Promise<void>
  /** A TTL short enough to wait out in a test (fake time, or a few hundred ms of real time). */
  shortTtlMs: number
  /** Removes whatever the suite stored. */
  cleanup?(): Promise<void>
}

const LONG_TTL = 60_000

async function expectStoreError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StoreError)
  expect((error as StoreError).code).toBe(code)
  expect((error as StoreError).retryable).toBe(false)
}

/**
 * The behaviour every `KvStore` must show. Run it once per implementation:
 * `kvStoreContract('in-memory', async () => ({ store, elapse, shortTtlMs }))`.
 */
export function kvStoreContract(name: string, makeSubject: () => Promise<KvContractSubject>): void {
  describe(`KvStore contract: ${name}`, () => {
    let subject: KvContractSubject
    let store: KvStore
    const key = () => `k-${randomUUID()}`
    const eventually = (check: () => Promise<void>) =>
      vi.waitFor(check, { timeout: 5_000, interval: 15 })

    beforeAll(async () => {
      subject = await makeSubject()
      store = subject.store
    })
    afterAll(async () => {
      await subject?.cleanup?.()
    })

    it('gets, overwrites and deletes values', async () => {
      const k = key()
      expect(await store.get(k)).toBeUndefined()
      expect(await store.set(k, { a: [1, 'two', null, true], b: { c: 1.5 } })).toBe(true)
      expect(await store.get(k)).toEqual({ a: [1, 'two', null, true], b: { c: 1.5 } })
      await store.set(k, 'second')
      expect(await store.get(k)).toBe('second')
      expect(await store.delete(k)).toBe(true)
      expect(await store.delete(k)).toBe(false)
      expect(await store.get(k)).toBeUndefined()
    })

    it('keeps stored state apart from the objects callers hold', async () => {
      const k = key()
      const value = { list: [1] }
      await store.set(k, value)
      value.list.push(2)
      const read = await store.get<{ list: number[] }>(k)
      read?.list.push(3)
      expect(await store.get(k)).toEqual({ list: [1] })
    })

    it('sets if absent only once, even under concurrency', async () => {
      const k = key()
      expect(await store.set(k, 'first', { ifAbsent: true })).toBe(true)
      expect(await store.set(k, 'second', { ifAbsent: true })).toBe(false)
      expect(await store.get(k)).toBe('first')
      const racer = key()
      const wins = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.set(racer, i, { ifAbsent: true })),
      )
      expect(wins.filter(Boolean)).toHaveLength(1)
    })

    it('expires values after their TTL, and a plain set clears the TTL', async () => {
      const gone = key()
      const kept = key()
      await store.set(gone, 'bye', { ttlMs: subject.shortTtlMs })
      await store.set(kept, 'temporary', { ttlMs: subject.shortTtlMs })
      await store.set(kept, 'permanent')
      await subject.elapse(subject.shortTtlMs + 1)
      await eventually(async () => expect(await store.get(gone)).toBeUndefined())
      expect(await store.get(kept)).toBe('permanent')
    })

    it('sets a new expiry with expire', async () => {
      const k = key()
      expect(await store.expire(k, LONG_TTL)).toBe(false)
      await store.set(k, 1, { ttlMs: LONG_TTL })
      expect(await store.get(k)).toBe(1)
      expect(await store.expire(k, subject.shortTtlMs)).toBe(true)
      await subject.elapse(subject.shortTtlMs + 1)
      await eventually(async () => expect(await store.get(k)).toBeUndefined())
    })

    it('counts 100 concurrent increments exactly', async () => {
      const k = key()
      const results = await Promise.all(Array.from({ length: 100 }, () => store.increment(k)))
      expect(await store.get(k)).toBe(100)
      expect(new Set(results).size).toBe(100)
      expect(await store.increment(k, -30)).toBe(70)
      expect(await store.increment(key(), 5)).toBe(5)
    })

    it('sets the increment TTL only when it creates the counter', async () => {
      const k = key()
      expect(await store.increment(k, 1, { ttlMs: subject.shortTtlMs })).toBe(1)
      // Would push the expiry a minute out if the TTL were (re)set on every call.
      expect(await store.increment(k, 1, { ttlMs: LONG_TTL })).toBe(2)
      await subject.elapse(subject.shortTtlMs + 1)
      await eventually(async () => expect(await store.get(k)).toBeUndefined())
      expect(await store.increment(k, 1, { ttlMs: LONG_TTL })).toBe(1)
    })

    it('refuses to increment what is not an integer counter', async () => {
      const k = key()
      await store.set(k, '5')
      await expectStoreError(store.increment(k), 'kv_wrong_type')
      await store.set(k, 5)
      expect(await store.increment(k)).toBe(6)
      await expectStoreError(store.increment(k, 1.5), 'kv_invalid_argument')
    })

    it('appends, ranges, trims and measures lists with negative indices', async () => {
      const k = key()
      expect(await store.length(k)).toBe(0)
      expect(await store.range(k, 0, -1)).toEqual([])
      expect(await store.append(k, ['a', 'b'])).toBe(2)
      expect(await store.append(k, [{ c: 3 }, 4, 'e'])).toBe(5)
      expect(await store.append(k, [])).toBe(5)
      expect(await store.range(k, 0, -1)).toEqual(['a', 'b', { c: 3 }, 4, 'e'])
      expect(await store.range(k, -2, -1)).toEqual([4, 'e'])
      expect(await store.range(k, 1, 2)).toEqual(['b', { c: 3 }])
      expect(await store.range(k, -100, 1)).toEqual(['a', 'b'])
      expect(await store.range(k, 3, 100)).toEqual([4, 'e'])
      expect(await store.range(k, 4, 2)).toEqual([])
      await store.trim(k, 1, -2)
      expect(await store.range(k, 0, -1)).toEqual(['b', { c: 3 }, 4])
      await store.trim(k, -2, -1)
      expect(await store.range(k, 0, -1)).toEqual([{ c: 3 }, 4])
      expect(await store.length(k)).toBe(2)
      await store.trim(k, 5, 10)
      expect(await store.length(k)).toBe(0)
    })

    it('expires lists appended with a TTL', async () => {
      const k = key()
      await store.append(k, ['x'], { ttlMs: LONG_TTL })
      await store.append(k, ['y'], { ttlMs: subject.shortTtlMs })
      await subject.elapse(subject.shortTtlMs + 1)
      await eventually(async () => expect(await store.length(k)).toBe(0))
    })

    it('refuses to read a list as a value and a value as a list', async () => {
      const list = key()
      const value = key()
      await store.append(list, [1])
      await store.set(value, 1)
      await expectStoreError(store.get(list), 'kv_wrong_type')
      await expectStoreError(store.range(value, 0, -1), 'kv_wrong_type')
      await expectStoreError(store.append(value, [2]), 'kv_wrong_type')
      expect(await store.delete(list)).toBe(true)
    })

    it('round-trips unicode and a 1 MB value unchanged', async () => {
      const text = 'Zoë — 漢字かな 🚀👩‍👩‍👧 𝄞 \u0000 "quotes" \\ \n\t ﷽'
      const k = key()
      await store.set(k, { [text]: text, list: [text] })
      expect(await store.get(k)).toEqual({ [text]: text, list: [text] })
      const list = key()
      await store.append(list, [text, '🚀'])
      expect(await store.range(list, 0, -1)).toEqual([text, '🚀'])

      const big = Array.from({ length: 1024 * 1024 }, (_, i) => 'a🚀z漢'[i % 4]).join('')
      const bigKey = key()
      await store.set(bigKey, big)
      const read = await store.get<string>(bigKey)
      expect(read?.length).toBe(big.length)
      expect(read === big).toBe(true)
    })

    it('keeps strings that look like numbers or JSON as strings', async () => {
      const tricky = ['2', '-0', '1e3', '007', 'true', 'null', '{"a":1}', '[1]', '', 'OK', 'PONG']
      for (const value of tricky) {
        const k = key()
        await store.set(k, value)
        expect(await store.get(k)).toBe(value)
      }
      const list = key()
      await store.append(list, tricky)
      expect(await store.range(list, 0, -1)).toEqual(tricky)
    })

    it('changes and refuses values as JSON does, whichever backend', async () => {
      const k = key()
      const at = new Date(5)
      await store.set(k, { at, gone: undefined, list: [undefined, 1], nan: Number.NaN })
      expect(await store.get(k)).toStrictEqual({ at: at.toISOString(), list: [null, 1], nan: null })
      const list = key()
      await store.append(list, [{ at }])
      expect(await store.range(list, 0, -1)).toStrictEqual([{ at: at.toISOString() }])
      const cyclic: Record<string, unknown> = {}
      cyclic.self = cyclic
      await expectStoreError(store.set(key(), cyclic), 'kv_invalid_argument')
      await expectStoreError(store.append(key(), [10n]), 'kv_invalid_argument')
    })

    it('rejects arguments no backend can honour', async () => {
      await expectStoreError(store.set(key(), undefined), 'kv_invalid_argument')
      await expectStoreError(store.set(key(), 1, { ttlMs: 0 }), 'kv_invalid_argument')
      await expectStoreError(store.set(key(), 1, { ttlMs: -5 }), 'kv_invalid_argument')
      await expectStoreError(store.append(key(), [1], { ttlMs: Number.NaN }), 'kv_invalid_argument')
      await expectStoreError(store.range(key(), 0.5, 2), 'kv_invalid_argument')
      await expectStoreError(store.trim(key(), 0, Number.POSITIVE_INFINITY), 'kv_invalid_argument')
      const counter = key()
      await store.increment(counter, Number.MAX_SAFE_INTEGER)
      await expectStoreError(
        store.increment(counter, Number.MAX_SAFE_INTEGER),
        'kv_invalid_argument',
      )
    })
  })
}
