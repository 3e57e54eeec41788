import { describe, expect, it } from 'vitest'
import { STREAM_BUFFER_BYTES } from '../../src/routes/http/stalled-writes.ts'
import { textStream } from '../../src/routes/http/text-stream.ts'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('textStream heartbeat', () => {
  it('sends the keep-alive text through a text stream while the source is silent', async () => {
    const body = textStream(
      async function* () {
        yield 'data: 1\n\n'
        await pause(50)
        yield 'data: 2\n\n'
      },
      { heartbeat: { everyMs: 10, text: ': keepalive\n\n' } },
    )
    const text = await new Response(body).text()
    expect(text.startsWith('data: 1\n\n: keepalive\n\n')).toBe(true)
    expect(text.endsWith('data: 2\n\n')).toBe(true)
  })
})

describe('textStream buffering', () => {
  it('queues at most about STREAM_BUFFER_BYTES for a reader that does not read', async () => {
    let produced = 0
    const body = textStream(async function* () {
      for (;;) {
        produced++
        yield 'x'.repeat(1024)
      }
    })
    const reader = body.getReader()
    await pause(50)
    expect(produced).toBeLessThanOrEqual(STREAM_BUFFER_BYTES / 1024 + 2)
    await reader.cancel()
  })
})
