import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashApiKey, newApiKeySecret } from '../../src/core/auth/api-key-secret.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.ts'
import { type RuntimeProcess, startRuntime, waitUntilReady } from '../support/runtime-process.ts'

/**
 * Node's entry sends provider calls with its HTTP client instead of `fetch` (see
 * `node-provider-fetch.ts`): through the real entry, completions stream and arrive whole,
 * the upstream sees no trace of `fetch`, and a traced request's call carries its trace.
 */
describe('provider calls from the Node entry', () => {
  let mock: MockLlm
  let receiver: OtlpReceiver
  let app: RuntimeProcess | undefined
  const secret = newApiKeySecret()

  beforeAll(async () => {
    mock = await startMockLlm()
    receiver = await startOtlpReceiver()
    app = await startRuntime('node', {
      API_KEY_HASHES: `node:${await hashApiKey(secret)}`,
      OPENAI_BASE_URL: `${mock.url}/v1`,
      LOCAL_MODEL: 'mock-1',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      LOG_LEVEL: 'error',
    })
    await waitUntilReady(app)
  }, 120_000)

  afterAll(async () => {
    await app?.stop()
    await Promise.all([mock?.close(), receiver?.close()])
  })

  const complete = (stream: boolean, headers: Record<string, string> = {}) =>
    fetch(`${app?.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: JSON.stringify({
        model: 'local:mock-1',
        stream,
        messages: [{ role: 'user', content: `transport ${stream} ${Math.random()}` }],
      }),
    })

  it('answers whole and streamed, sent by the HTTP client', async () => {
    mock.script([
      { kind: 'text', text: 'whole answer' },
      { kind: 'text', text: 'streamed answer in pieces', chunkDelayMs: 5 },
    ])
    const whole = await complete(false)
    expect(whole.status).toBe(200)
    const body = (await whole.json()) as { choices: { message: { content: string } }[] }
    expect(body.choices[0]?.message.content).toBe('whole answer')

    const streamed = await complete(true)
    expect(streamed.status).toBe(200)
    let text = ''
    for (const line of (await streamed.text()).split('\n')) {
      if (line.startsWith('data: {'))
        text += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? ''
    }
    expect(text).toBe('streamed answer in pieces')

    expect(mock.requests).toHaveLength(2)
    for (const request of mock.requests) {
      // fetch (undici) adds these to every request; the HTTP client sends only what it is given.
      expect(request.headers['sec-fetch-mode']).toBeUndefined()
      expect(request.headers['content-length']).toBe(
        String(Buffer.byteLength(JSON.stringify(request.body))),
      )
    }
  }, 30_000)

  it("carries the caller's trace to the provider", async () => {
    mock.reset()
    mock.script({ kind: 'text', text: 'traced' })
    const traceId = crypto.randomUUID().replaceAll('-', '')
    const response = await complete(false, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` })
    expect(response.status).toBe(200)
    await response.arrayBuffer()
    expect(mock.requests[0]?.headers.traceparent).toMatch(
      new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`),
    )
  }, 30_000)
})
