import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashApiKey, newApiKeySecret } from '../../src/core/auth/api-key-secret.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'
import { type RuntimeProcess, startRuntime, waitUntilReady } from '../support/runtime-process.ts'

/**
 * Streamed answers through each runtime's real server. Bun's text streams are `type: 'direct'`
 * (written straight to the socket, `Services.directStreams`); Node's are queued web streams.
 * Either way a piece reaches the client when the model writes it, and a client that leaves
 * mid-answer ends the provider call at once.
 */
describe.each(['bun', 'node'] as const)('streamed answers on %s', (runtime) => {
  let mock: MockLlm
  let app: RuntimeProcess | undefined
  const secret = newApiKeySecret()

  beforeAll(async () => {
    mock = await startMockLlm()
    app = await startRuntime(runtime, {
      API_KEY_HASHES: `streams:${await hashApiKey(secret)}`,
      OPENAI_BASE_URL: `${mock.url}/v1`,
      LOCAL_MODEL: 'mock-1',
      LOG_LEVEL: 'error',
    })
    await waitUntilReady(app)
  }, 120_000)

  afterAll(async () => {
    await app?.stop()
    await mock?.close()
  })

  const stream = (signal?: AbortSignal) =>
    fetch(`${app?.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'local:mock-1',
        stream: true,
        messages: [{ role: 'user', content: `stream ${Math.random()}` }],
      }),
      signal,
    })

  it('sends each piece as the model writes it, not at the end', async () => {
    const words = ['one', 'two', 'three', 'four', 'five', 'six']
    mock.script({ kind: 'text', text: words.join(' '), chunkDelayMs: 150 })
    const response = await stream()
    expect(response.status).toBe(200)
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    const contentReads: number[] = []
    let text = ''
    let raw = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      const piece = decoder.decode(value, { stream: true })
      raw += piece
      if (piece.includes('"content":"') && !piece.includes('"content":""'))
        contentReads.push(performance.now())
    }
    for (const line of raw.split('\n')) {
      if (line.startsWith('data: {'))
        text += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? ''
    }
    expect(text).toBe(words.join(' '))
    expect(raw.endsWith('data: [DONE]\n\n')).toBe(true)
    // Six pieces 150 ms apart arrive over more than half a second, in several reads.
    expect(contentReads.length).toBeGreaterThanOrEqual(4)
    expect((contentReads.at(-1) ?? 0) - (contentReads[0] ?? 0)).toBeGreaterThan(450)
  }, 30_000)

  it('ends the provider call when the client leaves mid-answer', async () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`)
    // 40 pieces 200 ms apart: eight seconds if nobody stopped it.
    mock.script({ kind: 'text', text: words.join(' '), chunkDelayMs: 200 })
    const leave = new AbortController()
    const response = await stream(leave.signal)
    expect(response.status).toBe(200)
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    for (let seen = ''; !seen.includes('word1'); ) {
      const { done, value } = await reader.read()
      if (done) throw new Error('the stream ended before the client left')
      seen += decoder.decode(value, { stream: true })
    }
    expect(mock.answering).toBe(1)
    const leftAt = performance.now()
    leave.abort()
    while (mock.answering > 0 && performance.now() - leftAt < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(mock.answering).toBe(0)
    expect(performance.now() - leftAt).toBeLessThan(3000)
  }, 30_000)
})
