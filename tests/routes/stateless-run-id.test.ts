import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type ApiApp, createApiApp } from '../support/api-app.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'

/**
 * Every answer of the compatible endpoints is also a short-lived run: `x-outpost-run-id` names
 * it, and its owner reads its events at `/api/runs/{id}/events` (say, after losing the response).
 */
let mock: MockLlm
let app: ApiApp
let owner: string
let stranger: string

beforeAll(async () => {
  mock = await startMockLlm()
  app = await createApiApp({ OPENAI_BASE_URL: `${mock.url}/v1`, LOCAL_MODEL: 'mock-1' })
  owner = (await app.user('owner')).secret
  stranger = (await app.user('stranger')).secret
})
afterAll(async () => {
  await mock?.close()
})
beforeEach(() => mock.reset())

const post = (path: string, key: string, body: unknown) =>
  app.fetch(`http://outpost.test${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

/** The run's events, read to the run's end, as `[type, data]` pairs. */
async function runEvents(runId: string, key: string) {
  const response = await app.fetch(`http://outpost.test/api/runs/${runId}/events`, {
    headers: { authorization: `Bearer ${key}` },
  })
  if (response.status !== 200) return { status: response.status, events: [] }
  const events: { type: string; data: Record<string, unknown> }[] = []
  for (const frame of (await response.text()).split('\n\n')) {
    const data = frame.split('\n').find((line) => line.startsWith('data: '))
    if (data) {
      const parsed = JSON.parse(data.slice(6)) as Record<string, unknown>
      events.push({ type: String(parsed.type), data: parsed })
    }
  }
  return { status: response.status, events }
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('x-outpost-run-id on the compatible endpoints', () => {
  it('names the run of a whole answer, whose events its owner can read', async () => {
    mock.script({ kind: 'text', text: 'kept for a while' })
    const response = await post('/v1/chat/completions', owner, {
      model: 'local:mock-1',
      messages: [{ role: 'user', content: 'remember this answer' }],
    })
    expect(response.status).toBe(200)
    await response.json()
    const runId = response.headers.get('x-outpost-run-id') ?? ''
    expect(runId).toMatch(uuid)
    const { status, events } = await runEvents(runId, owner)
    expect(status).toBe(200)
    const end = events.find((e) => e.type === 'turn-end')
    expect(end?.data).toMatchObject({ reason: 'done', text: 'kept for a while' })
  })

  it('names the run of a streamed answer, which holds the same text', async () => {
    mock.script({ kind: 'text', text: 'streamed and kept', chunkDelayMs: 2 })
    const response = await post('/v1/chat/completions', owner, {
      model: 'local:mock-1',
      stream: true,
      messages: [{ role: 'user', content: 'stream it' }],
    })
    const runId = response.headers.get('x-outpost-run-id') ?? ''
    expect(runId).toMatch(uuid)
    await response.text()
    const { events } = await runEvents(runId, owner)
    const text = events
      .filter((e) => e.type === 'text-delta')
      .map((e) => e.data.text)
      .join('')
    expect(text).toBe('streamed and kept')
  })

  it('is set by the Anthropic dialect too', async () => {
    mock.script({ kind: 'text', text: 'anthropic answer' })
    const response = await post('/v1/messages', owner, {
      model: 'local:mock-1',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hello' }],
    })
    expect(response.status).toBe(200)
    await response.json()
    const runId = response.headers.get('x-outpost-run-id') ?? ''
    expect(runId).toMatch(uuid)
    const { events } = await runEvents(runId, owner)
    expect(events.find((e) => e.type === 'turn-end')?.data.text).toBe('anthropic answer')
  })

  it("is nobody else's to read", async () => {
    mock.script({ kind: 'text', text: 'private' })
    const response = await post('/v1/chat/completions', owner, {
      model: 'local:mock-1',
      messages: [{ role: 'user', content: 'secret' }],
    })
    await response.json()
    const runId = response.headers.get('x-outpost-run-id') ?? ''
    expect((await runEvents(runId, stranger)).status).toBe(404)
  })
})
