import { describe, expect, it } from 'vitest'
import { sseEventBatches } from '../../../src/core/models/sse-events.ts'

// A body delivered in the given pieces, split anywhere (mid-line, mid-character).
const body = (pieces: (string | Uint8Array)[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) {
        controller.enqueue(typeof piece === 'string' ? new TextEncoder().encode(piece) : piece)
      }
      controller.close()
    },
  })

const read = async (pieces: (string | Uint8Array)[]) => {
  const events = []
  for await (const batch of sseEventBatches(body(pieces))) events.push(...batch)
  return events
}

describe('sseEventBatches', () => {
  it('reads data events split anywhere, with every line ending, comments and fields', async () => {
    const text =
      ': keep-alive\n\ndata: {"a":1}\n\nevent: error\r\ndata: {"b":\r\ndata:2}\r\n\r\n' +
      'id: 7\rdata: é\r\rretry: 10\ndata:[DONE]\n\n'
    const whole = await read([text])
    expect(whole).toEqual([
      { event: null, data: '{"a":1}' },
      { event: 'error', data: '{"b":\n2}' },
      { event: null, data: 'é' },
      { event: null, data: '[DONE]' },
    ])
    // Byte by byte: a \r\n and a two-byte character cut in half read the same.
    const bytes = new TextEncoder().encode(text)
    expect(await read([...bytes].map((b) => new Uint8Array([b])))).toEqual(whole)
  })

  it('counts a last event cut off before its blank line', async () => {
    expect(await read(['data: 1\n\ndata: 2'])).toEqual([
      { event: null, data: '1' },
      { event: null, data: '2' },
    ])
  })

  it('cancels the body when the reader leaves early', async () => {
    let cancelled = false
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: x\n\n'))
      },
      cancel() {
        cancelled = true
      },
    })
    for await (const batch of sseEventBatches(stream)) {
      expect(batch[0]?.data).toBe('x')
      break
    }
    expect(cancelled).toBe(true)
  })
})
