import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatModel, ChatRequest } from '../../../src/core/models/chat-model.ts'
import { createOpenAiModel } from '../../../src/core/models/openai.ts'
import {
  directChatCompletions,
  directChatStream,
} from '../../../src/core/models/openai-direct-completion.ts'
import type { ProviderFetch } from '../../../src/core/models/provider-fetch.ts'
import type { FetchFunction } from '../../../src/core/telemetry/fetch-function.ts'
import { nodeProviderFetch } from '../../../src/runtime/node-provider-fetch.ts'
import { collect, collectUntilError } from '../../support/collect.ts'
import { type MockLlm, startMockLlm } from '../../support/mock-llm/index.ts'

/** The mock's second request (the direct fetch's) is its first (the SDK's) again. */
function expectSameRequests(mock: MockLlm) {
  const [first, second] = mock.requests
  expect(second?.body).toEqual(first?.body)
  expect(second?.path).toBe(first?.path)
  expect(second?.headers.authorization).toBe('Bearer test-key')
  expect(second?.headers['openai-organization']).toBe('org-1')
}

/** How each model fails on the same scripted failures, one call per failure. */
async function failureOutcomes(
  mock: MockLlm,
  models: ChatModel[],
  failures: Parameters<MockLlm['script']>[0],
  ask: ChatRequest,
) {
  const calls = Array.isArray(failures) ? failures.length : 1
  const outcomes = []
  for (const model of models) {
    mock.script(failures)
    const errors = []
    for (let i = 0; i < calls; i++) {
      const { events, error } = await collectUntilError(model.stream(ask))
      const { code, retryable, retryAfterMs, upstreamStatus } = error as Record<string, unknown>
      errors.push({ events: events.length, code, retryable, retryAfterMs, upstreamStatus })
    }
    outcomes.push(errors)
  }
  return outcomes
}

/** Each transport the direct calls are sent with: the global fetch, and Node's own client. */
const transports: [string, ProviderFetch][] = [
  ['fetch', (input, init) => fetch(input, init)],
  ['node:http', nodeProviderFetch()],
]

// The same non-streaming calls through the SDK and through the direct fetch must answer alike.
describe.each(transports)(
  'non-streaming chat completions sent directly (%s), against the SDK',
  (_, transport) => {
    let mock: MockLlm
    const modelsFor = (timeout?: number) => {
      const client = new OpenAI({
        apiKey: 'test-key',
        baseURL: `${mock.url}/v1/`,
        maxRetries: 0,
        organization: 'org-1',
        ...(timeout ? { timeout } : {}),
      })
      return {
        sdk: createOpenAiModel({ client, model: 'gpt-test' }),
        direct: createOpenAiModel({
          client,
          model: 'gpt-test',
          completeChat: directChatCompletions(client, transport),
        }),
      }
    }
    const ask: ChatRequest = { messages: [{ role: 'user', content: 'q' }], stream: false }
    beforeAll(async () => {
      mock = await startMockLlm()
    })
    afterAll(() => mock.close())
    beforeEach(() => mock.reset())

    it('yields the same events and sends the same body, key and organization', async () => {
      const reply = {
        kind: 'tool-calls' as const,
        text: 'ok',
        calls: [{ id: 'x', name: 't', arguments: { a: 1 } }],
      }
      const { sdk, direct } = modelsFor()
      mock.script([reply, reply])
      const viaSdk = await collect(sdk.stream(ask))
      const viaFetch = await collect(direct.stream(ask))
      expect(viaFetch).toEqual(viaSdk)
      expect(viaFetch.map((e) => e.type)).toEqual(['text-delta', 'tool-call', 'usage', 'finish'])
      expectSameRequests(mock)
    })

    it('maps HTTP errors as the SDK does', async () => {
      const { sdk, direct } = modelsFor()
      const failures = [
        { kind: 'error' as const, status: 429, retryAfterSeconds: 2 },
        { kind: 'error' as const, status: 400 },
        { kind: 'error' as const, status: 401 },
        { kind: 'error' as const, status: 500 },
      ]
      const outcomes = await failureOutcomes(mock, [sdk, direct], failures, ask)
      expect(outcomes[1]).toEqual(outcomes[0])
      expect(outcomes[1]?.map((e) => e.code)).toEqual([
        'provider_rate_limited',
        'provider_bad_request',
        'provider_auth',
        'provider_unavailable',
      ])
    })

    it('times out on a slow first byte with the client timeout, and honours an abort', async () => {
      const { direct } = modelsFor(20)
      mock.script({ kind: 'text', text: 'too late', firstByteDelayMs: 1_000 })
      const slow = await collectUntilError(direct.stream(ask))
      expect(slow.error).toMatchObject({ code: 'provider_timeout', retryable: true })

      const patient = modelsFor().direct
      mock.script({ kind: 'text', text: 'too late', firstByteDelayMs: 1_000 })
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 20)
      const aborted = await collectUntilError(patient.stream(ask, controller.signal))
      expect(aborted.error).toMatchObject({ code: 'provider_aborted', retryable: false })
    })

    it('maps a refused connection to a retryable network error', async () => {
      const client = new OpenAI({ apiKey: 'k', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 })
      const direct = createOpenAiModel({
        client,
        model: 'm',
        completeChat: directChatCompletions(client, transport),
      })
      const { error } = await collectUntilError(direct.stream(ask))
      expect(error).toMatchObject({ code: 'provider_network', retryable: true })
    })
  },
)

// The same streaming calls through the SDK and through the direct fetch must answer alike.
describe.each(transports)(
  'streaming chat completions sent directly (%s), against the SDK',
  (_, transport) => {
    let mock: MockLlm
    const clientFor = (timeout?: number) =>
      new OpenAI({
        apiKey: 'test-key',
        baseURL: `${mock.url}/v1/`,
        maxRetries: 0,
        organization: 'org-1',
        ...(timeout ? { timeout } : {}),
      })
    const directModel = (client: OpenAI, fetcher: ProviderFetch = transport) =>
      createOpenAiModel({
        client,
        model: 'gpt-test',
        streamChat: directChatStream(client, fetcher),
      })
    const modelsFor = (timeout?: number) => {
      const client = clientFor(timeout)
      return { sdk: createOpenAiModel({ client, model: 'gpt-test' }), direct: directModel(client) }
    }
    const ask: ChatRequest = { messages: [{ role: 'user', content: 'q' }] }
    beforeAll(async () => {
      mock = await startMockLlm()
    })
    afterAll(() => mock.close())
    beforeEach(() => mock.reset())

    it('yields the same events and sends the same body, key and organization', async () => {
      const reply = {
        kind: 'tool-calls' as const,
        text: 'ok then',
        calls: [
          { id: 'x', name: 't', arguments: { a: 1 } },
          { id: 'y', name: 'u', arguments: { b: 2 } },
        ],
      }
      const { sdk, direct } = modelsFor()
      mock.script([reply, reply])
      const viaSdk = await collect(sdk.stream(ask))
      const viaFetch = await collect(direct.stream(ask))
      expect(viaFetch).toEqual(viaSdk)
      expect(viaFetch.filter((e) => e.type === 'tool-call')).toHaveLength(2)
      expect(viaFetch.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' })
      expectSameRequests(mock)
      expect(mock.requests[1]?.body).toMatchObject({
        stream: true,
        stream_options: { include_usage: true },
      })
    })

    it('maps HTTP errors, mid-stream error events and cut streams as the SDK does', async () => {
      const { sdk, direct } = modelsFor()
      const failures = [
        { kind: 'error' as const, status: 429, retryAfterSeconds: 2 },
        { kind: 'error' as const, status: 400 },
        { kind: 'error' as const, status: 401 },
        { kind: 'error' as const, status: 500 },
        { kind: 'stream-error' as const, text: 'one two three', afterChunks: 1 },
        { kind: 'cut' as const, text: 'one two three', afterChunks: 1 },
        { kind: 'malformed' as const, text: 'one two three', afterChunks: 1 },
      ]
      const outcomes = await failureOutcomes(mock, [sdk, direct], failures, ask)
      expect(outcomes[1]).toEqual(outcomes[0])
      expect(outcomes[1]?.map((e) => e.code)).toEqual([
        'provider_rate_limited',
        'provider_bad_request',
        'provider_auth',
        'provider_unavailable',
        'provider_unavailable',
        'provider_network',
        'provider_bad_response',
      ])
      expect(outcomes[1]?.[4]?.events).toBeGreaterThan(0)
    })

    it('times out on a slow first byte, and honours an abort before and during the body', async () => {
      const slow = directModel(clientFor(20))
      mock.script({ kind: 'text', text: 'too late', firstByteDelayMs: 1_000 })
      const late = await collectUntilError(slow.stream(ask))
      expect(late.error).toMatchObject({ code: 'provider_timeout', retryable: true })

      const patient = directModel(clientFor())
      mock.script({ kind: 'text', text: 'too late', firstByteDelayMs: 1_000 })
      const early = new AbortController()
      setTimeout(() => early.abort(), 20)
      const before = await collectUntilError(patient.stream(ask, early.signal))
      expect(before.error).toMatchObject({ code: 'provider_aborted', retryable: false })

      // A slow body outlives the client's timeout (it bounds the headers only); the abort ends it.
      const quick = directModel(clientFor(50))
      mock.script({ kind: 'text', text: 'a b c d e f g h i j', chunkDelayMs: 40 })
      const during = new AbortController()
      const events: unknown[] = []
      const { error } = await collectUntilError(
        (async function* () {
          for await (const event of quick.stream(ask, during.signal)) {
            events.push(event)
            if (events.length === 3) during.abort()
            yield event
          }
        })(),
      )
      expect(events.length).toBe(3)
      expect(error).toMatchObject({ code: 'provider_aborted', retryable: false })
    })

    it('maps a refused connection to a retryable network error', async () => {
      const client = new OpenAI({ apiKey: 'k', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 })
      const { error } = await collectUntilError(directModel(client).stream(ask))
      expect(error).toMatchObject({ code: 'provider_network', retryable: true })
    })

    it('cancels the body when the consumer leaves early, and lets go of the signal', async () => {
      let cancelled = false
      const tracking: FetchFunction = async (input, init) => {
        const response = await fetch(input, init)
        const reader = response.body?.getReader()
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const step = await reader?.read()
            if (!step || step.done) controller.close()
            else controller.enqueue(step.value)
          },
          cancel(reason) {
            cancelled = true
            return reader?.cancel(reason)
          },
        })
        return new Response(body, { status: response.status, headers: response.headers })
      }
      const model = directModel(clientFor(), tracking)
      mock.script({ kind: 'text', text: 'a b c d e f g h i j', chunkDelayMs: 20 })
      const controller = new AbortController()
      const removed = vi.spyOn(controller.signal, 'removeEventListener')
      for await (const event of model.stream(ask, controller.signal)) {
        expect(event.type).toBe('text-delta')
        break
      }
      expect(cancelled).toBe(true)
      expect(removed).toHaveBeenCalledWith('abort', expect.any(Function))
    })
  },
)
