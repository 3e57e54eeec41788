import { afterEach, describe, expect, it, vi } from 'vitest'
import { whenBodyEnds } from '../../src/middleware/stream-end-listeners.ts'
import { STALLED_WRITE_MS, STREAM_BUFFER_BYTES } from '../../src/routes/http/stalled-writes.ts'
import { textStream } from '../../src/routes/http/text-stream.ts'

afterEach(() => {
  vi.useRealTimers()
})

/** Lets the stream's pulls and the source's steps run (promise turns, not timers) until `count` stops moving. */
const settle = async (count: () => number) => {
  for (let last = -1; last !== count(); ) {
    last = count()
    for (let i = 0; i < 50; i++) await Promise.resolve()
  }
}

describe('a text stream whose reader stops reading', () => {
  it('queues about its buffer, then is cut off after STALLED_WRITE_MS and ends its source', async () => {
    vi.useFakeTimers()
    const piece = `data: ${'x'.repeat(400)}\n\n`
    let produced = 0
    let returned = false
    const body = textStream(() => ({
      [Symbol.asyncIterator]() {
        return {
          next: async () => {
            produced += 1
            return { done: false, value: piece }
          },
          return: async () => {
            returned = true
            return { done: true, value: undefined }
          },
        }
      },
    }))
    const ended = vi.fn()
    whenBodyEnds(body, ended)
    // Nobody reads: the stream fills its queue and stops asking the source.
    await settle(() => produced)
    expect(produced).toBeGreaterThan(0)
    expect(produced).toBeLessThanOrEqual(Math.ceil(STREAM_BUFFER_BYTES / piece.length) + 1)
    const queued = produced
    await vi.advanceTimersByTimeAsync(STALLED_WRITE_MS - 1000)
    expect(produced).toBe(queued)
    expect(returned).toBe(false)
    await vi.advanceTimersByTimeAsync(2000)
    expect(returned).toBe(true)
    expect(ended).toHaveBeenCalledTimes(1)
    await expect(body.getReader().read()).rejects.toThrow('the reader stopped reading')
  })

  it('is not cut off while the reader keeps reading, however slowly', async () => {
    vi.useFakeTimers()
    let produced = 0
    const body = textStream(async function* () {
      for (;;) {
        produced += 1
        yield `data: ${'y'.repeat(400)}\n\n`
      }
    })
    const reader = body.getReader()
    for (let minute = 0; minute < 3; minute++) {
      await vi.advanceTimersByTimeAsync(STALLED_WRITE_MS - 1000)
      const { done } = await reader.read()
      expect(done).toBe(false)
    }
    expect(produced).toBeGreaterThan(3)
    await reader.cancel()
  })
})
