import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Limiter, SlidingWindow } from '../../src/core/limits/limiter.ts'

/** One limiter under test, as the contract suite needs it. */
export interface LimiterContractSubject {
  limiter: Limiter
  /** Lets `ms` of limiter time pass: moves the injected clock, or really waits. */
  elapse(ms: number): Promise<void>
  /** Returns once at least `ms` are left before the current bucket of `window` ends. */
  roomInWindow(window: SlidingWindow, ms: number): Promise<void>
  /** A window short enough to wait out (fake time, or about a second of real time). */
  shortWindowMs: number
  cleanup?(): Promise<void>
}

const minute: SlidingWindow = { kind: 'sliding', ms: 60_000 }
const day = { kind: 'calendar', unit: 'day' } as const

/**
 * The behaviour every `Limiter` must show. Run it once per implementation:
 * `limiterContract('in-memory', async () => ({ limiter, elapse, roomInWindow, shortWindowMs }))`.
 */
export function limiterContract(name: string, makeSubject: () => Promise<LimiterContractSubject>) {
  describe(`Limiter contract: ${name}`, () => {
    let subject: LimiterContractSubject
    let limiter: Limiter
    const id = () => `who-${randomUUID()}`

    beforeAll(async () => {
      subject = await makeSubject()
      limiter = subject.limiter
    })
    afterAll(async () => {
      await subject?.cleanup?.()
    })

    it('lets a window limit through, then refuses with a reason and when to return', async () => {
      await subject.roomInWindow(minute, 5_000)
      const who = id()
      const remaining: number[] = []
      for (let i = 0; i < 5; i++) {
        const verdict = await limiter.hit(who, 5, minute)
        expect(verdict.ok).toBe(true)
        remaining.push(verdict.remaining)
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0])
      const refused = await limiter.hit(who, 5, minute)
      expect(refused).toMatchObject({ ok: false, reason: 'exhausted', limit: 5, remaining: 0 })
      if (refused.ok) throw new Error('unreachable')
      expect(refused.retryAfterMs).toBeGreaterThan(0)
      expect(refused.retryAfterMs).toBeLessThanOrEqual(minute.ms)
      expect(refused.reset).toBeGreaterThan(0)
      expect((await limiter.hit(id(), 5, minute)).ok).toBe(true)
      expect(await limiter.peekHits(who, minute)).toBe(5)
    })

    it('refuses everything at a limit of zero', async () => {
      expect((await limiter.hit(id(), 0, minute)).ok).toBe(false)
      const reserved = await limiter.reserve(id(), 'tpm', 0, minute, 1)
      expect(reserved.ok).toBe(false)
    })

    it('lets requests through again once the window has slid past', async () => {
      const window: SlidingWindow = { kind: 'sliding', ms: subject.shortWindowMs }
      await subject.roomInWindow(window, subject.shortWindowMs / 2)
      const who = id()
      expect((await limiter.hit(who, 2, window)).ok).toBe(true)
      expect((await limiter.hit(who, 2, window)).ok).toBe(true)
      expect((await limiter.hit(who, 2, window)).ok).toBe(false)
      await subject.elapse(2 * subject.shortWindowMs + 100)
      expect((await limiter.hit(who, 2, window)).ok).toBe(true)
    })

    it('reserves a budget, refuses what does not fit, and settles to the real use', async () => {
      await subject.roomInWindow(minute, 5_000)
      const who = id()
      const taken = []
      for (let i = 0; i < 3; i++) {
        const verdict = await limiter.reserve(who, 'tpm', 1000, minute, 300)
        if (!verdict.ok) throw new Error('expected the reservation to fit')
        taken.push(verdict.reservation)
      }
      const refused = await limiter.reserve(who, 'tpm', 1000, minute, 300)
      expect(refused).toMatchObject({ ok: false, reason: 'exhausted', limit: 1000, remaining: 100 })
      expect(await limiter.peekBudget(who, 'tpm', minute)).toBe(900)
      await limiter.settle(taken[0]!, 50)
      expect(await limiter.peekBudget(who, 'tpm', minute)).toBe(650)
      await limiter.settle(taken[1]!, 0)
      expect(await limiter.peekBudget(who, 'tpm', minute)).toBe(350)
      expect((await limiter.reserve(who, 'tpm', 1000, minute, 600)).ok).toBe(true)
      // Real use above the reservation counts too.
      await limiter.settle(taken[2]!, 500)
      expect(await limiter.peekBudget(who, 'tpm', minute)).toBe(1150)
    })

    it('lets one reservation larger than the whole cap run when nothing is in use', async () => {
      const who = id()
      expect((await limiter.reserve(who, 'usd', 100, day, 250)).ok).toBe(true)
      expect((await limiter.reserve(who, 'usd', 100, day, 1)).ok).toBe(false)
      expect(await limiter.peekBudget(who, 'usd', day)).toBe(250)
    })

    it('never lets 50 concurrent reservations overrun the cap by more than one of them', async () => {
      for (const period of [minute, day] as const) {
        await subject.roomInWindow(minute, 5_000)
        const who = id()
        const verdicts = await Promise.all(
          Array.from({ length: 50 }, () => limiter.reserve(who, 'tpm', 1000, period, 130)),
        )
        const admitted = verdicts.filter((v) => v.ok).length
        expect(admitted).toBeGreaterThanOrEqual(1)
        expect(admitted * 130).toBeLessThanOrEqual(1000 + 130)
        expect(await limiter.peekBudget(who, 'tpm', period)).toBe(admitted * 130)
      }
    })

    it('holds concurrent slots until released, under concurrency too', async () => {
      const who = id()
      const verdicts = await Promise.all(Array.from({ length: 20 }, () => limiter.acquire(who, 3)))
      const held = verdicts.flatMap((v) => (v.ok ? [v.slot] : []))
      expect(held).toHaveLength(3)
      const refused = verdicts.find((v) => !v.ok)
      expect(refused).toMatchObject({ ok: false, reason: 'exhausted', limit: 3 })
      expect(await limiter.peekSlots(who)).toBe(3)
      await limiter.release(held[0]!)
      expect(await limiter.peekSlots(who)).toBe(2)
      expect((await limiter.acquire(who, 3)).ok).toBe(true)
      expect((await limiter.acquire(who, 3)).ok).toBe(false)
    })

    it('keeps identifiers and budgets apart', async () => {
      const who = id()
      await limiter.reserve(who, 'tpm', 100, minute, 100)
      expect((await limiter.reserve(who, 'usd', 100, minute, 100)).ok).toBe(true)
      expect((await limiter.reserve(id(), 'tpm', 100, minute, 100)).ok).toBe(true)
      expect(await limiter.peekBudget(id(), 'tpm', minute)).toBe(0)
      expect(await limiter.peekSlots(id())).toBe(0)
    })
  })
}
