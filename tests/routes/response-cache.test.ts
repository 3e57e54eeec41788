import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type ApiApp, createApiApp, readSse } from '../support/api-app.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'

let mock: MockLlm
let app: ApiApp
let alice: string
let bob: string

beforeAll(async () => {
  mock = await startMockLlm()
  app = await createApiApp({ OPENAI_BASE_URL: `${mock.url}/v1`, LOCAL_MODEL: 'mock-1' })
  alice = (await app.user('alice')).secret
  bob = (await app.user('bob')).secret
})
afterAll(async () => {
  await mock?.close()
})
beforeEach(() => mock.reset())

let counter = 0
/** A question no other test asks, so entries of one test never answer another. */
const fresh = (label: string) => `${label} question number ${++counter} at ${Date.now()}`
const chatCalls = () => mock.requests.filter((r) => r.path === '/v1/chat/completions').length

function complete(
  secret: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) {
  return app.fetch('http://outpost.test/v1/chat/completions', {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'local:mock-1', temperature: 0, ...body }),
    ...(signal ? { signal } : {}),
  })
}

/** The parts of a chat.completion a replay must reproduce (ids and timestamps are per response). */
const answerOf = (json: Record<string, unknown>) => {
  const { id: _id, created: _created, ...rest } = json
  return rest
}
/** Streamed chunks without their per-response id and timestamp. */
const chunksOf = async (response: Response) =>
  (await readSse(response)).map((frame) => {
    if (frame.data === '[DONE]') return frame.data
    const { id: _id, created: _created, ...rest } = JSON.parse(frame.data)
    return rest
  })

describe('response cache at the model call (/v1/chat/completions)', () => {
  it('stores a deterministic answer and replays it with X-Cache: HIT, Age and the same body', async () => {
    const messages = [{ role: 'user', content: fresh('replay') }]
    const first = await complete(alice, { messages })
    expect(first.headers.get('x-cache')).toBe('MISS')
    const original = answerOf(await first.json())
    await app.background.drain(2000)
    const second = await complete(alice, { messages })
    expect(second.headers.get('x-cache')).toBe('HIT')
    expect(Number(second.headers.get('age'))).toBeGreaterThanOrEqual(0)
    expect(answerOf(await second.json())).toEqual(original)
    expect(chatCalls()).toBe(1)
  })

  it('replays a stream chunk for chunk, and a streamed answer to a non-streaming client', async () => {
    mock.script({ kind: 'text', text: 'one two three four five', chunkDelayMs: 1 })
    const messages = [{ role: 'user', content: fresh('stream') }]
    const body = { messages, stream: true, stream_options: { include_usage: true } }
    const first = await complete(alice, body)
    expect(first.headers.get('x-cache')).toBe('MISS')
    const original = await chunksOf(first)
    await app.background.drain(2000)
    const second = await complete(alice, body)
    expect(second.headers.get('x-cache')).toBe('HIT')
    expect(await chunksOf(second)).toEqual(original)
    const whole = await complete(alice, { messages })
    expect(whole.headers.get('x-cache')).toBe('HIT')
    const json = await whole.json()
    expect(json.choices[0].message.content).toBe('one two three four five')
    expect(json.usage).toEqual(original.at(-2).usage)
    expect(chatCalls()).toBe(1)
  })

  it('never serves one tenant the cached or in-flight answer of another', async () => {
    mock.script({ kind: 'text', text: 'for alice only', chunkDelayMs: 20 })
    const messages = [{ role: 'user', content: fresh('tenant') }]
    const [a, b] = await Promise.all([complete(alice, { messages }), complete(bob, { messages })])
    expect([a.headers.get('x-cache'), b.headers.get('x-cache')]).toEqual(['MISS', 'MISS'])
    const texts = [
      (await a.json()).choices[0].message.content,
      (await b.json()).choices[0].message.content,
    ]
    expect(texts.filter((t) => t === 'for alice only')).toHaveLength(1)
    expect(chatCalls()).toBe(2)
    await app.background.drain(2000)
    const again = await complete(bob, { messages })
    expect(again.headers.get('x-cache')).toBe('HIT')
    expect((await again.json()).choices[0].message.content).toBe(texts[1])
  })

  it('follows Cache-Control: no-cache, no-store, max-age; caches only deterministic calls', async () => {
    const sampled = [{ role: 'user', content: fresh('sampled') }]
    const plain = await complete(alice, { messages: sampled, temperature: 0.7 })
    expect(plain.headers.get('x-cache')).toBeNull()
    await plain.text()
    const optIn = await complete(
      alice,
      { messages: sampled, temperature: 0.7 },
      {
        'cache-control': 'max-age=60',
      },
    )
    expect(optIn.headers.get('x-cache')).toBe('MISS')
    await optIn.text()
    await app.background.drain(2000)
    const hit = await complete(
      alice,
      { messages: sampled, temperature: 0.7 },
      {
        'cache-control': 'max-age=60',
      },
    )
    expect(hit.headers.get('x-cache')).toBe('HIT')
    await hit.text()
    expect(chatCalls()).toBe(2)

    const messages = [{ role: 'user', content: fresh('directives') }]
    const unstored = await complete(alice, { messages }, { 'cache-control': 'no-store' })
    expect(unstored.headers.get('x-cache')).toBe('MISS')
    await unstored.text()
    const stored = await complete(alice, { messages })
    expect(stored.headers.get('x-cache')).toBe('MISS')
    await stored.text()
    const unread = await complete(alice, { messages }, { 'cache-control': 'no-cache' })
    expect(unread.headers.get('x-cache')).toBe('MISS')
    await unread.text()
    const ns = await complete(alice, { messages }, { 'x-cache-namespace': 'v2' })
    expect(ns.headers.get('x-cache')).toBe('MISS')
    await ns.text()
    expect(chatCalls()).toBe(6)
  })

  it('reports the same token counts on a hit', async () => {
    const messages = [{ role: 'user', content: fresh('billing') }]
    const first = await complete(alice, { messages })
    const usage = (await first.json()).usage
    await app.background.drain(2000)
    const second = await complete(alice, { messages })
    expect((await second.json()).usage).toEqual(usage)
    expect(second.headers.get('x-cache')).toBe('HIT')
  })
})

describe('request coalescing', () => {
  it('makes one upstream call for 50 identical concurrent requests, and all get the answer', async () => {
    mock.script({ kind: 'text', text: 'shared by fifty callers', chunkDelayMs: 15 })
    const messages = [{ role: 'user', content: fresh('fifty') }]
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => complete(alice, { messages, stream: i % 2 === 0 })),
    )
    const statuses = responses.map((r) => r.headers.get('x-cache'))
    expect(statuses.filter((s) => s === 'MISS')).toHaveLength(1)
    expect(statuses.filter((s) => s === 'COALESCED' || s === 'HIT')).toHaveLength(49)
    const texts = await Promise.all(
      responses.map(async (r, i) =>
        i % 2 === 0
          ? (await chunksOf(r))
              .map((c) => (typeof c === 'string' ? '' : (c.choices[0]?.delta?.content ?? '')))
              .join('')
          : (await r.json()).choices[0].message.content,
      ),
    )
    expect(new Set(texts)).toEqual(new Set(['shared by fifty callers']))
    expect(chatCalls()).toBe(1)
  })

  it('gives every follower the leader’s error, and stores nothing', async () => {
    mock.script({ kind: 'error', status: 400, message: 'bad prompt', firstByteDelayMs: 80 })
    const messages = [{ role: 'user', content: fresh('failure') }]
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => complete(alice, { messages })),
    )
    expect(responses.map((r) => r.status)).toEqual([502, 502, 502, 502, 502])
    for (const r of responses) expect((await r.json()).error.code).toBe('provider_bad_request')
    expect(chatCalls()).toBe(1)
    const retry = await complete(alice, { messages })
    expect(retry.status).toBe(200)
    expect(retry.headers.get('x-cache')).toBe('MISS')
    await retry.text()
    expect(chatCalls()).toBe(2)
  })

  it('keeps the model call going when a follower, or the leader, goes away', async () => {
    const text = 'a b c d e f g h i j k l m n o p'
    mock.script({ kind: 'text', text, chunkDelayMs: 15 })
    const messages = [{ role: 'user', content: fresh('disconnect') }]
    const leaving = new AbortController()
    const stayingLeader = await complete(alice, { messages, stream: true })
    const follower = await complete(alice, { messages, stream: true }, {}, leaving.signal)
    expect(follower.headers.get('x-cache')).toBe('COALESCED')
    await readSse(follower, 3)
    leaving.abort()
    const got = (await chunksOf(stayingLeader))
      .map((c) => (typeof c === 'string' ? '' : (c.choices[0]?.delta?.content ?? '')))
      .join('')
    expect(got).toBe(text)

    mock.script({ kind: 'text', text, chunkDelayMs: 15 })
    const others = [{ role: 'user', content: fresh('leader leaves') }]
    const gone = new AbortController()
    const leader = await complete(alice, { messages: others, stream: true }, {}, gone.signal)
    expect(leader.headers.get('x-cache')).toBe('MISS')
    const staying = await complete(alice, { messages: others, stream: true })
    expect(staying.headers.get('x-cache')).toBe('COALESCED')
    await readSse(leader, 3)
    gone.abort()
    const rest = (await chunksOf(staying))
      .map((c) => (typeof c === 'string' ? '' : (c.choices[0]?.delta?.content ?? '')))
      .join('')
    expect(rest).toBe(text)
    expect(chatCalls()).toBe(2)
  })
})

describe('replay on the other surfaces', () => {
  it('/v1/messages: a hit has the same body as the original', async () => {
    const send = () =>
      app.fetch('http://outpost.test/v1/messages', {
        method: 'POST',
        headers: { 'x-api-key': alice, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'local:mock-1',
          max_tokens: 100,
          temperature: 0,
          messages: [{ role: 'user', content: 'an anthropic client asks the same thing' }],
        }),
      })
    const first = await send()
    expect(first.headers.get('x-cache')).toBe('MISS')
    const { id: _first, ...original } = await first.json()
    await app.background.drain(2000)
    const second = await send()
    expect(second.headers.get('x-cache')).toBe('HIT')
    const { id: _second, ...replayed } = await second.json()
    expect(replayed).toEqual(original)
  })

  it('REST runs: identical runs in flight share one model call and log the same events', async () => {
    mock.script({ kind: 'text', text: 'one answer, two conversations', chunkDelayMs: 15 })
    const call = (path: string, init: RequestInit = {}) =>
      app.fetch(`http://outpost.test${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${alice}`,
          'content-type': 'application/json',
          'cache-control': 'max-age=60',
        },
      })
    const content = fresh('rest')
    const start = async () => {
      const created = await call('/api/conversations', { method: 'POST', body: '{}' })
      const { id } = (await created.json()) as { id: string }
      const sent = await call(`/api/conversations/${id}/messages`, {
        method: 'POST',
        body: JSON.stringify({ content, model: 'local:mock-1' }),
      })
      return ((await sent.json()) as { events_url: string }).events_url
    }
    const urls = await Promise.all([start(), start()])
    const logs = await Promise.all(
      urls.map(async (url) =>
        (await readSse(await call(url))).map((frame) => {
          const event = JSON.parse(frame.data)
          return event.type === 'usage' || event.type === 'turn-end'
            ? { ...event, costUsd: 0, usage: undefined }
            : event
        }),
      ),
    )
    expect(logs[1]).toEqual(logs[0])
    expect(logs[0]?.at(-1)).toMatchObject({ text: 'one answer, two conversations' })
    expect(chatCalls()).toBe(1)
  })
})
