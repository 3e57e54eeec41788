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

const call = (app: ApiApp, secret: string, path: string, init: RequestInit = {}) =>
  app.fetch(path, {
    ...init,
    headers: {
      Authorization: `Bearer ${secret}`,
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(init.headers as Record<string, string>),
    },
  })

interface Started {
  run_id: string
  message_id: string
  events_url: string
}

/** A conversation with the given questions, each answered before the next is sent. */
async function conversationWith(app: ApiApp, secret: string, questions: string[]) {
  const created = await call(app, secret, '/api/conversations', { method: 'POST', body: '{}' })
  const { id } = (await created.json()) as { id: string }
  const sent: Started[] = []
  for (const content of questions) {
    const response = await call(app, secret, `/api/conversations/${id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ content }),
    })
    expect(response.status).toBe(202)
    const started = (await response.json()) as Started
    await readSse(await call(app, secret, started.events_url))
    sent.push(started)
  }
  return { id, sent }
}

const editUrl = (id: string, messageId: string) =>
  `/api/conversations/${id}/messages/${messageId}/edit`

async function messagesOf(app: ApiApp, secret: string, id: string) {
  const body = (await (await call(app, secret, `/api/conversations/${id}`)).json()) as {
    messages: { role: string; content: { type: string; text?: string }[] }[]
  }
  return body.messages.map((m) => ({
    role: m.role,
    text: m.content.find((part) => part.type === 'text')?.text,
  }))
}

describe('POST /api/conversations/{id}/messages/{message_id}/edit', () => {
  it('replaces the last question and its answer, and answers the new text', async () => {
    const { id, sent } = await conversationWith(api, alice.secret, [
      'Tell me about Paris',
      'And what about Rome?',
    ])
    const response = await call(api, alice.secret, editUrl(id, sent[1]!.message_id), {
      method: 'POST',
      body: JSON.stringify({ content: '  And what about Lisbon?  ' }),
    })
    expect(response.status).toBe(202)
    const started = (await response.json()) as Started & { conversation_id: string }
    expect(started.conversation_id).toBe(id)
    expect(started.message_id).not.toBe(sent[1]!.message_id)
    const frames = await readSse(await call(api, alice.secret, started.events_url))
    expect(JSON.parse(frames.at(-1)!.data)).toMatchObject({ type: 'turn-end', reason: 'done' })
    await api.background.drain(2000)

    const messages = await messagesOf(api, alice.secret, id)
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    expect(messages.map((m) => m.text)).toContain('And what about Lisbon?')
    expect(messages.map((m) => m.text)).not.toContain('And what about Rome?')
    // Twice in a row: the new message is now the last one, and can be edited in turn.
    const again = await call(api, alice.secret, editUrl(id, started.message_id), {
      method: 'POST',
      headers: { Accept: 'text/event-stream' },
      body: JSON.stringify({ content: 'And Porto?' }),
    })
    expect(again.status).toBe(200)
    expect(again.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const events = await readSse(again)
    expect(events.at(-1)?.event).toBe('turn-end')
    await api.background.drain(2000)
    const after = await messagesOf(api, alice.secret, id)
    expect(after.filter((m) => m.role === 'user').map((m) => m.text)).toEqual([
      'Tell me about Paris',
      'And Porto?',
    ])
  })

  it('lets only the owner edit, and only the last message (404 / 409 JSON)', async () => {
    const { id, sent } = await conversationWith(api, alice.secret, ['First question', 'Second'])
    const body = JSON.stringify({ content: 'Changed' })
    const foreign = await call(api, bob.secret, editUrl(id, sent[1]!.message_id), {
      method: 'POST',
      body,
    })
    expect(foreign.status).toBe(404)
    expect(await foreign.json()).toMatchObject({ error: { code: 'not_found' } })

    const earlier = await call(api, alice.secret, editUrl(id, sent[0]!.message_id), {
      method: 'POST',
      body,
    })
    expect(earlier.status).toBe(409)
    expect(await earlier.json()).toMatchObject({ error: { code: 'message_not_last' } })

    const unknown = await call(api, alice.secret, editUrl(id, 'no-such-message'), {
      method: 'POST',
      body,
    })
    expect(unknown.status).toBe(404)
    // Nothing was changed by the refusals.
    expect((await messagesOf(api, alice.secret, id)).map((m) => m.text)).toContain('Second')
  })

  it('refuses bad input with a 400 JSON error, as a send does', async () => {
    const { id, sent } = await conversationWith(api, alice.secret, ['A question'])
    const url = editUrl(id, sent[0]!.message_id)
    const cases: [unknown, string][] = [
      [{ content: '' }, 'invalid_request'],
      [{ content: '   \n ' }, 'message_empty'],
      [{ content: 'x'.repeat(32_001) }, 'invalid_request'],
      [{ content: 'ok', extra: true }, 'invalid_request'],
      [{ content: 'ok', model: 'no-such-tier' }, 'model_invalid'],
    ]
    for (const [input, code] of cases) {
      const response = await call(api, alice.secret, url, {
        method: 'POST',
        body: JSON.stringify(input),
      })
      expect(response.status, JSON.stringify(input).slice(0, 40)).toBe(400)
      expect((await response.json()).error.code).toBe(code)
    }
    expect((await messagesOf(api, alice.secret, id)).map((m) => m.text)).toContain('A question')
  })

  it('answers 409 answer_streaming while an answer is still being written', async () => {
    const slow = await createApiApp({ DEMO_WORD_DELAY_MS: '50' })
    const user = await slow.user('streamer')
    const created = await call(slow, user.secret, '/api/conversations', {
      method: 'POST',
      body: '{}',
    })
    const { id } = (await created.json()) as { id: string }
    const sent = (await (
      await call(slow, user.secret, `/api/conversations/${id}/messages`, {
        method: 'POST',
        body: JSON.stringify({ content: 'Write a long essay about the sea' }),
      })
    ).json()) as Started
    const refused = await call(slow, user.secret, editUrl(id, sent.message_id), {
      method: 'POST',
      body: JSON.stringify({ content: 'Write a haiku instead' }),
    })
    expect(refused.status).toBe(409)
    expect(await refused.json()).toMatchObject({ error: { code: 'answer_streaming' } })
    // Once the answer is written, the same edit goes through.
    await readSse(await call(slow, user.secret, sent.events_url))
    await slow.background.drain(5000)
    const accepted = await call(slow, user.secret, editUrl(id, sent.message_id), {
      method: 'POST',
      body: JSON.stringify({ content: 'Write a haiku instead' }),
    })
    expect(accepted.status).toBe(202)
    await readSse(await call(slow, user.secret, ((await accepted.json()) as Started).events_url))
    await slow.background.drain(5000)
  })
})
