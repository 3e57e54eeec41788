import { beforeAll, describe, expect, it } from 'vitest'
import { type ApiApp, createApiApp, readSse } from '../support/api-app.ts'

let api: ApiApp
let alice: Awaited<ReturnType<ApiApp['user']>>
let bob: Awaited<ReturnType<ApiApp['user']>>

beforeAll(async () => {
  api = await createApiApp()
  alice = await api.user('alice')
  bob = await api.user('bob')
})

const call = (secret: string | undefined, path: string, init: RequestInit = {}) =>
  api.fetch(path, {
    ...init,
    headers: {
      ...(secret && { Authorization: `Bearer ${secret}` }),
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(init.headers as Record<string, string>),
    },
  })

const json = (value: unknown) => JSON.stringify(value)

describe('API keys on /api and /v1', () => {
  it('answers 401 JSON for a missing, malformed, unknown or revoked key', async () => {
    const revoked = await api.user('revoked')
    await api.services.apiKeys.revoke(revoked.keyId)
    for (const secret of [undefined, 'op_unknown', revoked.secret]) {
      const response = await call(secret, '/api/conversations')
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } })
    }
    const basic = await api.fetch('/api/conversations', { headers: { Authorization: 'Basic x' } })
    expect(basic.status).toBe(401)
    expect((await call(alice.secret, '/api/conversations')).status).toBe(200)
  })

  it('takes x-api-key on /v1/messages only, and Bearer everywhere', async () => {
    const body = JSON.stringify({
      model: 'auto',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'hi' }],
    })
    const json = { 'Content-Type': 'application/json' }
    const viaHeader = await api.fetch('/v1/messages', {
      method: 'POST',
      headers: { ...json, 'x-api-key': alice.secret },
      body,
    })
    expect(viaHeader.status).toBe(200)
    const viaBearer = await api.fetch('/v1/messages', {
      method: 'POST',
      headers: { ...json, Authorization: `Bearer ${alice.secret}` },
      body,
    })
    expect(viaBearer.status).toBe(200)
    const elsewhere = await api.fetch('/v1/models', { headers: { 'x-api-key': alice.secret } })
    expect(elsewhere.status).toBe(401)
    expect(await elsewhere.json()).toMatchObject({ error: { type: 'authentication_error' } })
  })

  it('looks a missing key up exactly like an unknown one (one hash, one lookup)', async () => {
    const store = api.services.apiKeys
    const seen: string[] = []
    const original = store.verify
    store.verify = async (secret) => {
      seen.push(secret)
      return original(secret)
    }
    try {
      await call(undefined, '/api/conversations')
      await call('op_unknown', '/api/conversations')
    } finally {
      store.verify = original
    }
    expect(seen).toEqual(['', 'op_unknown'])
  })

  it('records when a key was last used', async () => {
    const user = await api.user('recent')
    await call(user.secret, '/api/conversations')
    await api.background.drain(1000)
    const [key] = await api.services.apiKeys.list(user.userId)
    expect(key?.lastUsedAt).toEqual(expect.any(Number))
  })

  it('keeps /api/ping, /openapi.json and /docs public', async () => {
    const ping = await api.fetch('/api/ping', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: json({ message: 'hi' }),
    })
    expect(ping.status).toBe(200)
    expect((await api.fetch('/api/ping/stream?count=1&interval_ms=0')).status).toBe(200)
    expect((await api.fetch('/openapi.json')).status).toBe(200)
    expect((await api.fetch('/docs', { headers: { Accept: 'text/html' } })).status).toBe(200)
  })
})

describe('conversations', () => {
  it('creates, lists with cursors, gets, renames and deletes', async () => {
    const user = await api.user('lister')
    const ids: string[] = []
    for (const title of ['one', 'two', 'three']) {
      const response = await call(user.secret, '/api/conversations', {
        method: 'POST',
        body: json({ title }),
      })
      expect(response.status).toBe(201)
      ids.push(((await response.json()) as { id: string }).id)
    }
    const first = (await (await call(user.secret, '/api/conversations?limit=2')).json()) as {
      data: { id: string; title: string }[]
      next_cursor: string | null
    }
    expect(first.data.map((c) => c.title)).toEqual(['three', 'two'])
    expect(first.next_cursor).toEqual(expect.any(String))
    const second = (await (
      await call(user.secret, `/api/conversations?limit=2&cursor=${first.next_cursor}`)
    ).json()) as { data: { title: string }[]; next_cursor: string | null }
    expect(second).toMatchObject({ data: [{ title: 'one' }], next_cursor: null })

    const renamed = await call(user.secret, `/api/conversations/${ids[0]}`, {
      method: 'PATCH',
      body: json({ title: 'first' }),
    })
    expect(await renamed.json()).toMatchObject({ id: ids[0], title: 'first' })
    const got = await call(user.secret, `/api/conversations/${ids[0]}`)
    expect(await got.json()).toMatchObject({ title: 'first', messages: [] })
    expect(
      (await call(user.secret, `/api/conversations/${ids[0]}`, { method: 'DELETE' })).status,
    ).toBe(204)
    expect((await call(user.secret, `/api/conversations/${ids[0]}`)).status).toBe(404)
  })

  it('rejects invalid bodies and queries with the project JSON error', async () => {
    const bad = await call(alice.secret, '/api/conversations', {
      method: 'POST',
      body: json({ title: 5 }),
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({
      error: { code: 'invalid_request', details: [{ path: 'title' }] },
    })
    const limit = await call(alice.secret, '/api/conversations?limit=1000')
    expect(limit.status).toBe(400)
  })

  it("hides one user's conversations and runs from another's key (404)", async () => {
    const created = await call(bob.secret, '/api/conversations', { method: 'POST', body: '{}' })
    const { id } = (await created.json()) as { id: string }
    const sent = await call(bob.secret, `/api/conversations/${id}/messages`, {
      method: 'POST',
      body: json({ content: 'Hello' }),
    })
    const { run_id } = (await sent.json()) as { run_id: string }
    for (const [method, path, body] of [
      ['GET', `/api/conversations/${id}`],
      ['PATCH', `/api/conversations/${id}`, json({ title: 'mine' })],
      ['DELETE', `/api/conversations/${id}`],
      ['POST', `/api/conversations/${id}/messages`, json({ content: 'hi' })],
      ['GET', `/api/runs/${run_id}`],
      ['GET', `/api/runs/${run_id}/events`],
      ['POST', `/api/runs/${run_id}/cancel`],
    ] as const) {
      const response = await call(alice.secret, path, { method, body })
      expect(response.status, `${method} ${path}`).toBe(404)
    }
    const aliceList = (await (await call(alice.secret, '/api/conversations')).json()) as {
      data: { id: string }[]
    }
    expect(aliceList.data.map((c) => c.id)).not.toContain(id)
  })
})

describe('runs', () => {
  async function startRun(user: { secret: string }, content = 'Hello there, how are you?') {
    const created = await call(user.secret, '/api/conversations', { method: 'POST', body: '{}' })
    const { id } = (await created.json()) as { id: string }
    const response = await call(user.secret, `/api/conversations/${id}/messages`, {
      method: 'POST',
      body: json({ content }),
    })
    expect(response.status).toBe(202)
    const body = (await response.json()) as { run_id: string; run_url: string; events_url: string }
    return { conversationId: id, ...body }
  }

  it('starts a run (202 with urls), streams its events and reports status and usage', async () => {
    const started = await startRun(alice)
    expect(started.events_url).toBe(`/api/runs/${started.run_id}/events`)
    expect(started.run_url).toBe(`/api/runs/${started.run_id}`)
    const frames = await readSse(await call(alice.secret, started.events_url))
    expect(frames[0]).toMatchObject({ id: '1', event: 'route' })
    expect(frames.map((f) => Number(f.id))).toEqual(frames.map((_, i) => i + 1))
    const end = frames.at(-1)!
    expect(end.event).toBe('turn-end')
    expect(JSON.parse(end.data)).toMatchObject({ type: 'turn-end', reason: 'done' })
    await api.background.drain(2000)
    const run = await (await call(alice.secret, started.run_url)).json()
    expect(run).toMatchObject({
      id: started.run_id,
      conversation_id: started.conversationId,
      status: 'completed',
      live: false,
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    })
    const conversation = (await (
      await call(alice.secret, `/api/conversations/${started.conversationId}`)
    ).json()) as { messages: { role: string }[] }
    expect(conversation.messages.map((m) => m.role)).toEqual(['user', 'assistant'])
  })

  it('streams the run directly when the client accepts text/event-stream', async () => {
    const created = await call(alice.secret, '/api/conversations', { method: 'POST', body: '{}' })
    const { id } = (await created.json()) as { id: string }
    const response = await call(alice.secret, `/api/conversations/${id}/messages`, {
      method: 'POST',
      headers: { Accept: 'text/event-stream' },
      body: json({ content: 'Stream me an answer' }),
    })
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const frames = await readSse(response)
    expect(frames[0]?.event).toBe('route')
    expect(frames.at(-1)?.event).toBe('turn-end')
  })

  it('resumes with Last-Event-ID: exactly the remaining events', async () => {
    const started = await startRun(alice, 'Tell me a long story about resuming streams please')
    const all = await readSse(await call(alice.secret, started.events_url))
    expect(all.length).toBeGreaterThan(4)
    const firstPart = await readSse(await call(alice.secret, started.events_url), 3)
    expect(firstPart.map((f) => f.id)).toEqual(['1', '2', '3'])
    const rest = await readSse(
      await call(alice.secret, started.events_url, {
        headers: { 'Last-Event-ID': firstPart.at(-1)!.id! },
      }),
    )
    expect([...firstPart, ...rest]).toEqual(all)
  })

  it('cancels a live run; cancelling a finished one says so', async () => {
    const slow = await createApiApp({ DEMO_WORD_DELAY_MS: '50' })
    const user = await slow.user('canceller')
    const headers = { Authorization: `Bearer ${user.secret}`, 'Content-Type': 'application/json' }
    const created = await slow.fetch('/api/conversations', { method: 'POST', headers, body: '{}' })
    const { id } = (await created.json()) as { id: string }
    const sent = await slow.fetch(`/api/conversations/${id}/messages`, {
      method: 'POST',
      headers,
      body: json({ content: 'Write a long essay about the sea' }),
    })
    const { run_id } = (await sent.json()) as { run_id: string }
    const cancel = await slow.fetch(`/api/runs/${run_id}/cancel`, { method: 'POST', headers })
    expect(cancel.status).toBe(202)
    expect(await cancel.json()).toEqual({ cancelled: true })
    const frames = await readSse(await slow.fetch(`/api/runs/${run_id}/events`, { headers }))
    expect(JSON.parse(frames.at(-1)!.data)).toMatchObject({ type: 'turn-end', reason: 'cancelled' })
    await slow.background.drain(2000)
    const again = await slow.fetch(`/api/runs/${run_id}/cancel`, { method: 'POST', headers })
    expect(await again.json()).toEqual({ cancelled: false })
    expect(await (await slow.fetch(`/api/runs/${run_id}`, { headers })).json()).toMatchObject({
      status: 'cancelled',
    })
  })
})
