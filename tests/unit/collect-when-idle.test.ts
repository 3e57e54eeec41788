import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { collectWhenIdle } from '../../src/runtime/collect-when-idle.ts'

const MB = 1024 * 1024

/** A process whose memory and requests in flight the test sets; a collection frees `freed`. */
function fakeProcess(startMb: number) {
  const state = { inFlight: 0, received: 0, rss: startMb * MB, collections: 0, freed: 0 }
  const stop = collectWhenIdle({
    inFlight: () => state.inFlight,
    received: () => state.received,
    residentBytes: () => state.rss,
    collect: () => {
      state.collections++
      state.rss -= state.freed
    },
  })
  return { state, stop }
}

describe('collectWhenIdle', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('collects once a burst is over, not while requests are in flight', () => {
    const { state, stop } = fakeProcess(80)
    state.inFlight = 200
    state.rss = 230 * MB
    vi.advanceTimersByTime(5_000)
    expect(state.collections).toBe(0)
    state.inFlight = 0
    state.freed = 90 * MB
    vi.advanceTimersByTime(1_000)
    expect(state.collections).toBe(1)
    // Idle on: nothing grew since, so no more collections.
    vi.advanceTimersByTime(10_000)
    expect(state.collections).toBe(1)
    stop()
  })

  it('leaves small growth alone, and measures the next burst from the lowest mark', () => {
    const { state, stop } = fakeProcess(100)
    state.rss = 120 * MB
    vi.advanceTimersByTime(3_000)
    expect(state.collections).toBe(0)
    // The engine gave memory back on its own: growth is now counted from 90 MB.
    state.rss = 90 * MB
    vi.advanceTimersByTime(1_000)
    state.rss = 125 * MB
    vi.advanceTimersByTime(1_000)
    expect(state.collections).toBe(1)
    stop()
  })

  it('waits for a check with no request since the last, not for a moment with none in flight', () => {
    const { state, stop } = fakeProcess(80)
    state.rss = 200 * MB
    state.freed = 100 * MB
    // One client, one request after another: none in flight at each check, yet never idle.
    for (let tick = 0; tick < 20; tick++) {
      state.received += 400
      vi.advanceTimersByTime(250)
    }
    expect(state.collections).toBe(0)
    // A check with no request since the last one: now it is idle.
    vi.advanceTimersByTime(250)
    expect(state.collections).toBe(1)
    stop()
  })

  it('stops checking once stopped', () => {
    const { state, stop } = fakeProcess(80)
    stop()
    state.rss = 300 * MB
    vi.advanceTimersByTime(5_000)
    expect(state.collections).toBe(0)
  })
})
