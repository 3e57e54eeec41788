import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { enableAsyncContext } from '../../src/runtime/async-context.ts'
import { type ApiApp, createApiApp, readSse } from '../support/api-app.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from '../support/otlp-receiver.ts'

let mock: MockLlm
let receiver: OtlpReceiver
let app: ApiApp
let secret: string

beforeAll(async () => {
  enableAsyncContext()
  mock = await startMockLlm()
  receiver = await startOtlpReceiver()
  app = await createApiApp({
    OPENAI_BASE_URL: `${mock.url}/v1`,
    LOCAL_MODEL: 'mock-1',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=k%3D1',
  })
  secret = (await app.user('traced')).secret
})
afterAll(async () => {
  await mock?.close()
  await receiver?.close()
})
beforeEach(() => {
  mock.reset()
  receiver.reset()
})

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
const callerSpanId = '00f067aa0ba902b7'

/** One chat turn through the REST API in which the model calls the calculator once. */
async function toolTurn(headers: Record<string, string> = {}) {
  mock.script([
    {
      kind: 'tool-calls',
      calls: [{ id: 'call_calc', name: 'calculator', arguments: { expression: '6 * 7' } }],
      usage: { input: 30, output: 7 },
    },
    { kind: 'text', text: 'It is 42.', usage: { input: 45, output: 4 } },
  ])
  const auth = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }
  const created = await app.fetch('/api/conversations', {
    method: 'POST',
    body: '{}',
    headers: auth,
  })
  const { id } = (await created.json()) as { id: string }
  const sent = await app.fetch(`/api/conversations/${id}/messages`, {
    method: 'POST',
    body: JSON.stringify({ content: 'What is 6 * 7?', model: 'local:mock-1' }),
    headers: { ...auth, ...headers },
  })
  expect(sent.status).toBe(202)
  const { events_url } = (await sent.json()) as { events_url: string }
  const frames = await readSse(await app.fetch(events_url, { headers: auth }))
  expect(frames.at(-1)?.event).toBe('turn-end')
  await app.background.drain(5000)
  await app.services.telemetry.tracing?.flush()
}

const named = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name)

describe('traces', () => {
  it('makes one trace per turn: request → gate → chat → tool, on the GenAI conventions', async () => {
    await toolTurn({ traceparent: `00-${traceId}-${callerSpanId}-01` })
    // Three model calls: the tool call, the answer, then (in the background, after the
    // answer) the extraction of facts about the user from their turn.
    const spans = await receiver.waitFor(
      (all) =>
        named(all, 'chat mock-1').length === 3 &&
        named(all, 'execute_tool calculator').length === 1 &&
        named(all, 'gate message').length === 1,
    )
    const request = spans.find((s) => s.name === 'POST /api/conversations/:id/messages')
    expect(request).toBeDefined()
    // The caller's traceparent is honoured: same trace, and the request is its child.
    expect(request?.traceId).toBe(traceId)
    expect(request?.parentSpanId).toBe(callerSpanId)
    expect(request?.kind).toBe(2) // SERVER
    expect(request?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/conversations/:id/messages',
      'http.response.status_code': 202,
    })

    // The gate wraps the stages and the run's start; it ends when the run is final.
    const [gate] = named(spans, 'gate message')
    expect(gate?.traceId).toBe(traceId)
    expect(gate?.parentSpanId).toBe(request?.spanId)
    expect(gate?.attributes).toMatchObject({
      'outpost.surface': 'rest',
      'outpost.work': 'message',
      'outpost.run.status': 'completed',
    })

    const [first, second] = named(spans, 'chat mock-1')
    for (const chat of [first, second]) {
      expect(chat?.traceId).toBe(traceId)
      expect(chat?.parentSpanId).toBe(gate?.spanId)
      expect(chat?.kind).toBe(3) // CLIENT
      expect(chat?.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai_compatible',
        'gen_ai.request.model': 'mock-1',
        'gen_ai.response.model': 'mock-1',
      })
    }
    expect(first?.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 30,
      'gen_ai.usage.output_tokens': 7,
      'gen_ai.response.finish_reasons': ['tool-calls'],
    })
    expect(second?.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 45,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.response.finish_reasons': ['stop'],
    })

    const [tool] = named(spans, 'execute_tool calculator')
    expect(tool?.traceId).toBe(traceId)
    expect(tool?.parentSpanId).toBe(first?.spanId)
    expect(tool?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'calculator',
      'gen_ai.tool.call.id': 'call_calc',
    })

    // In-memory stores make no spans (a map lookup costs less than its span); the runtime
    // suite checks store spans on PGlite.
    expect(spans.filter((s) => /^(history|kv|semantic) /.test(s.name))).toEqual([])
    expect(spans[0]?.resource).toMatchObject({
      'service.name': 'outpost',
      'outpost.runtime': 'node',
    })
    expect(receiver.exports[0]?.headers['x-collector-key']).toBe('k=1')
  })

  it('passes the trace on to the provider: its traceparent names the chat span', async () => {
    await toolTurn({ traceparent: `00-${traceId}-${callerSpanId}-01` })
    // The turn's two calls and the fact extraction after it (see above).
    const spans = await receiver.waitFor((all) => named(all, 'chat mock-1').length === 3)
    const chats = named(spans, 'chat mock-1').map((s) => s.spanId)
    const sent = mock.requests
      .filter((r) => r.path.endsWith('/chat/completions'))
      .map((r) => r.headers.traceparent)
    expect(sent).toHaveLength(3)
    expect(sent.map((t) => t?.split('-')[1])).toEqual([traceId, traceId, traceId])
    expect(sent.map((t) => t?.split('-')[2]).sort()).toEqual([...chats].sort())
  })

  it('starts a new trace without a traceparent, and ignores a malformed one', async () => {
    await toolTurn({ traceparent: 'not-a-trace' })
    const spans = await receiver.waitFor(
      (all) => named(all, 'execute_tool calculator').length === 1,
    )
    const request = spans.find((s) => s.name === 'POST /api/conversations/:id/messages')
    expect(request?.parentSpanId).toBeUndefined()
    expect(request?.traceId).toMatch(/^[0-9a-f]{32}$/)
    const [tool] = named(spans, 'execute_tool calculator')
    expect(tool?.traceId).toBe(request?.traceId)
  })
})

describe('without a collector', () => {
  it('builds no tracer and wraps no store', async () => {
    const plain = await createApiApp()
    expect(plain.services.telemetry.tracing).toBeUndefined()
    const response = await plain.fetch('/api/ping')
    expect(response.status).toBeLessThan(500)
  })
})
