import { describe, expect, it } from 'vitest'
import { HEARTBEAT, withHeartbeat } from '../../src/routes/http/heartbeat.ts'
import { textStream } from '../../src/routes/http/sse-frame.ts'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('withHeartbeat', () => {
  it('fills each silence with a beat and keeps every item in order', async () => {
    async function* slow() {
      yield 'a'
      await pause(60)
      yield 'b'
    }
    const seen: unknown[] = []
    for await (const item of withHeartbeat(slow(), 15)) seen.push(item)
    expect(seen[0]).toBe('a')
    expect(seen.at(-1)).toBe('b')
    expect(seen.filter((item) => item === HEARTBEAT).length).toBeGreaterThanOrEqual(2)
  })

  it('passes a failure of the source on', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield 'a'
      await pause(5)
      throw new Error('boom')
    }
    await expect(async () => {
      for await (const _ of withHeartbeat(failing(), 50)) {
      }
    }).rejects.toThrow('boom')
  })

  it('sends the keep-alive text through a text stream while the source is silent', async () => {
    const body = textStream(
      async function* () {
        yield 'data: 1\n\n'
        await pause(50)
        yield 'data: 2\n\n'
      },
      undefined,
      { everyMs: 10, text: ': keepalive\n\n' },
    )
    const text = await new Response(body).text()
    expect(text.startsWith('data: 1\n\n: keepalive\n\n')).toBe(true)
    expect(text.endsWith('data: 2\n\n')).toBe(true)
  })
})

describe('textStream buffering', () => {
  it('queues at most about 64 KB for a reader that does not read', async () => {
    let produced = 0
    const body = textStream(async function* () {
      for (;;) {
        produced++
        yield 'x'.repeat(1024)
      }
    })
    const reader = body.getReader()
    await pause(50)
    expect(produced).toBeLessThanOrEqual(66)
    await reader.cancel()
  })
})
