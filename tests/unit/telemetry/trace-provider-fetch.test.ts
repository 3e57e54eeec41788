import { describe, expect, it } from 'vitest'
import type { ProviderFetch, ProviderRequest } from '../../../src/core/models/provider-fetch.ts'
import { traceProviderFetch } from '../../../src/core/telemetry/trace-propagating-fetch.ts'
import type { Tracing } from '../../../src/core/telemetry/tracing.ts'

const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
// Only `inject` is called; it stands for the active span's context.
const tracing = {
  inject: (headers: Headers) => headers.set('traceparent', traceparent),
} as unknown as Tracing

describe('traceProviderFetch', () => {
  it("adds the active span's traceparent to a provider request, leaving the caller's init as it was", async () => {
    const sent: ProviderRequest[] = []
    const inner: ProviderFetch = async (_url, init) => {
      sent.push(init)
      return new Response('{}')
    }
    const init: ProviderRequest = {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"a":1}',
      signal: new AbortController().signal,
    }
    await traceProviderFetch(tracing, inner)('http://upstream/v1/chat/completions', init)
    expect(sent[0]?.headers).toEqual({
      authorization: 'Bearer k',
      'content-type': 'application/json',
      traceparent,
    })
    expect(sent[0]?.body).toBe(init.body)
    expect(sent[0]?.signal).toBe(init.signal)
    expect(init.headers).not.toHaveProperty('traceparent')
  })
})
