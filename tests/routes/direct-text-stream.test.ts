import { afterEach, describe, expect, it, vi } from 'vitest'
import { whenBodyEnds } from '../../src/middleware/stream-end-listeners.ts'
import { STALLED_WRITE_MS } from '../../src/routes/http/stalled-writes.ts'
import { textStream } from '../../src/routes/http/text-stream.ts'

/**
 * `textStream({ direct: true })` makes a `type: 'direct'` stream, which only Bun's server reads
 * (Node refuses the type). Here the server is played by a sink with Bun's contract: `pull` is
 * called once, a write answers a number (taken) or a promise (the socket is full), `close()`
 * ends the body and `close(error)` aborts it; `cancel` is called when the client goes away.
 * The runtime suite drives the same streams through Bun's real server.
 */
interface DirectSource {
  type: 'direct'
  pull(sink: FakeSink): Promise<void>
  cancel(reason?: unknown): Promise<void>
}

class FakeSink {
  written: string[] = []
  closed: { error?: Error } | undefined
  full: Promise<number> | undefined
  write(text: string): number | Promise<number> {
    this.written.push(text)
    return this.full ?? text.length
  }
  close(error?: Error) {
    this.closed = error ? { error } : {}
  }
}

let captured: DirectSource | undefined
class CapturingStream {
  constructor(source: DirectSource) {
    expect(source.type).toBe('direct')
    captured = source
  }
}

const directStream = (
  source: (signal: AbortSignal) => AsyncIterable<string>,
  options: Parameters<typeof textStream>[1] = {},
) => {
  vi.stubGlobal('ReadableStream', CapturingStream)
  const body = textStream(source, { ...options, direct: true })
  vi.unstubAllGlobals()
  const ended = vi.fn()
  whenBodyEnds(body, ended)
  return { source: captured as DirectSource, ended }
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('a direct text stream', () => {
  it('writes each non-empty piece as it comes, then closes and announces its end', async () => {
    const { source, ended } = directStream(async function* () {
      yield 'data: 1\n\n'
      yield ''
      yield 'data: 2\n\n'
    })
    const sink = new FakeSink()
    await source.pull(sink)
    expect(sink.written).toEqual(['data: 1\n\n', 'data: 2\n\n'])
    expect(sink.closed).toEqual({})
    expect(ended).toHaveBeenCalledTimes(1)
  })

  it('writes the first piece as the body is asked for, before the source has answered', async () => {
    let release: () => void = () => {}
    const { source } = directStream(
      async function* () {
        await new Promise<void>((resolve) => {
          release = resolve
        })
        yield 'data: 1\n\n'
      },
      { first: 'data: start\n\n' },
    )
    const sink = new FakeSink()
    const pulled = source.pull(sink)
    // Written within the call itself: no turn of the event loop in between.
    expect(sink.written).toEqual(['data: start\n\n'])
    release()
    await pulled
    expect(sink.written).toEqual(['data: start\n\n', 'data: 1\n\n'])
  })

  it('starts a queued body with the first piece too', async () => {
    const body = textStream(
      async function* () {
        yield 'data: 1\n\n'
      },
      { first: 'data: start\n\n' },
    )
    expect(await new Response(body).text()).toBe('data: start\n\ndata: 1\n\n')
  })

  it('writes the heartbeat while the source is silent, and stops beating at the end', async () => {
    vi.useFakeTimers()
    let release: () => void = () => {}
    const { source } = directStream(
      async function* () {
        yield 'data: 1\n\n'
        await new Promise<void>((resolve) => {
          release = resolve
        })
        yield 'data: 2\n\n'
      },
      { heartbeat: { everyMs: 1000, text: ': keepalive\n\n' } },
    )
    const sink = new FakeSink()
    const pulled = source.pull(sink)
    await vi.advanceTimersByTimeAsync(2500)
    release()
    await pulled
    expect(sink.written).toEqual([
      'data: 1\n\n',
      ': keepalive\n\n',
      ': keepalive\n\n',
      'data: 2\n\n',
    ])
    await vi.advanceTimersByTimeAsync(5000)
    expect(sink.written).toHaveLength(4)
  })

  it('cuts off a reader that takes nothing for STALLED_WRITE_MS and ends the source', async () => {
    vi.useFakeTimers()
    let returned = false
    let signal: AbortSignal | undefined
    const { source, ended } = directStream((given) => {
      signal = given
      return {
        [Symbol.asyncIterator]: () => ({
          next: async () => ({ done: false, value: 'data: x\n\n' }),
          return: async () => {
            returned = true
            return { done: true, value: undefined }
          },
        }),
      }
    })
    const sink = new FakeSink()
    // The socket is full from the start and never drains.
    sink.full = new Promise<number>(() => {})
    void source.pull(sink)
    await vi.advanceTimersByTimeAsync(STALLED_WRITE_MS - 1000)
    expect(sink.written).toHaveLength(1)
    expect(sink.closed).toBeUndefined()
    await vi.advanceTimersByTimeAsync(2000)
    expect(sink.closed?.error?.message).toBe('the reader stopped reading')
    expect(returned).toBe(true)
    expect(signal?.aborted).toBe(true)
    expect(ended).toHaveBeenCalledTimes(1)
  })

  it('goes on after a full socket drains, however slowly', async () => {
    vi.useFakeTimers()
    let drain: (n: number) => void = () => {}
    const { source } = directStream(async function* () {
      yield 'data: 1\n\n'
      yield 'data: 2\n\n'
    })
    const sink = new FakeSink()
    sink.full = new Promise<number>((resolve) => {
      drain = resolve
    })
    const pulled = source.pull(sink)
    await vi.advanceTimersByTimeAsync(STALLED_WRITE_MS - 1000)
    sink.full = undefined
    drain(9)
    await vi.advanceTimersByTimeAsync(STALLED_WRITE_MS)
    await pulled
    expect(sink.written).toEqual(['data: 1\n\n', 'data: 2\n\n'])
    expect(sink.closed).toEqual({})
  })

  it('ends the source and aborts its signal when the client goes away', async () => {
    let signal: AbortSignal | undefined
    let finished = false
    let release: () => void = () => {}
    const { source, ended } = directStream(async function* (given) {
      signal = given
      try {
        yield 'data: 1\n\n'
        await new Promise<void>((resolve) => {
          release = resolve
        })
        yield 'data: 2\n\n'
      } finally {
        finished = true
      }
    })
    const sink = new FakeSink()
    const pulled = source.pull(sink)
    await new Promise((resolve) => setTimeout(resolve, 5))
    const cancelled = source.cancel(new Error('The connection was closed.'))
    expect(signal?.aborted).toBe(true)
    release()
    await Promise.all([cancelled, pulled])
    expect(finished).toBe(true)
    expect(sink.written).toEqual(['data: 1\n\n'])
    expect(ended).toHaveBeenCalledTimes(1)
  })

  it('aborts the body when the source fails', async () => {
    const { source, ended } = directStream(async function* () {
      yield 'data: 1\n\n'
      throw new Error('upstream broke')
    })
    const sink = new FakeSink()
    await source.pull(sink)
    expect(sink.closed?.error?.message).toBe('upstream broke')
    expect(ended).toHaveBeenCalledTimes(1)
  })
})
