import { describe, expect, it, vi } from 'vitest'
import { whenBodyEnds } from '../../src/middleware/stream-end-listeners.ts'
import { textStream } from '../../src/routes/http/text-stream.ts'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A text stream of `count` pieces, `gapMs` apart, that throws instead of ending with `fail`. */
function pieces(count: number, gapMs = 0, fail = false) {
  return textStream(async function* () {
    for (let i = 0; i < count; i++) {
      if (gapMs) await pause(gapMs)
      yield `data: ${i}\n\n`
    }
    if (fail) throw new Error('source failed')
  })
}

describe('a text stream tells when it ends', () => {
  it('once, when read to the end, and not before', async () => {
    const body = pieces(3, 5)
    const ended = vi.fn()
    expect(whenBodyEnds(body, ended)).toBe(true)
    const reader = body.getReader()
    await reader.read()
    expect(ended).not.toHaveBeenCalled()
    while (!(await reader.read()).done) {}
    expect(ended).toHaveBeenCalledTimes(1)
  })

  it('when its source fails', async () => {
    const body = pieces(1, 5, true)
    const ended = vi.fn()
    whenBodyEnds(body, ended)
    await expect(new Response(body).text()).rejects.toThrow('source failed')
    expect(ended).toHaveBeenCalledTimes(1)
  })

  it('when the reader cancels it', async () => {
    const body = pieces(100, 5)
    const ended = vi.fn()
    whenBodyEnds(body, ended)
    const reader = body.getReader()
    await reader.read()
    await reader.cancel()
    expect(ended).toHaveBeenCalledTimes(1)
  })

  it('is not watched once it has ended, nor is a stream it did not make', async () => {
    const body = pieces(1)
    await new Response(body).text()
    expect(whenBodyEnds(body, () => {})).toBe(false)
    expect(whenBodyEnds(new Response('plain').body as ReadableStream, () => {})).toBe(false)
  })
})
