import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRunLog } from '../../src/core/runs/run-log.ts'
import { migrateDatabase } from '../../src/runtime/migrate-database.ts'
import { type ApiApp, createApiApp, readSse } from '../support/api-app.ts'
import { browser } from '../support/chat-browser.ts'
import { type NeonBridge, startNeonBridge } from '../support/neon-bridge.ts'
import { postgresAddress, serviceAvailable } from '../support/services.ts'
import { createTemporaryDatabase, type TemporaryDatabase } from '../support/temporary-database.ts'
import {
  startUpstashRedisBridge,
  type UpstashRedisBridge,
} from '../support/upstash-redis-bridge.ts'
import {
  startUpstashVectorEmulator,
  type UpstashVectorEmulator,
} from '../support/upstash-vector-emulator.ts'

const ready = (await serviceAvailable('redis')) && (await serviceAvailable('postgres'))
const origin = 'http://localhost'

/**
 * Every request to Upstash or Neon is a network round trip from the edge, so the number one
 * warm chat turn makes is pinned here per surface, counted by the local stand-ins (see
 * tests/support/request-log.ts). A change that adds one fails this test: either take it back,
 * or update the count and its comment on purpose. "Warm": the conversation, the user and the
 * isolate's clients exist; the turn is the second message.
 */
describe.skipIf(!ready)('edge round trips of one warm chat turn', () => {
  let database: TemporaryDatabase
  let neon: NeonBridge
  let redis: UpstashRedisBridge
  let vector: UpstashVectorEmulator
  let bindings: Record<string, string>
  let api: ApiApp

  beforeAll(async () => {
    database = await createTemporaryDatabase('roundtrips')
    const pool = new pg.Pool({ connectionString: database.url, max: 1 })
    await migrateDatabase(drizzle({ client: pool }), { vector: false })
    await pool.end()
    neon = await startNeonBridge({ backend: { ...postgresAddress, database: database.name } })
    redis = await startUpstashRedisBridge({})
    vector = await startUpstashVectorEmulator({ dimension: 384 })
    bindings = {
      UPSTASH_REDIS_REST_URL: redis.url,
      UPSTASH_REDIS_REST_TOKEN: redis.token,
      UPSTASH_VECTOR_REST_URL: vector.url,
      UPSTASH_VECTOR_REST_TOKEN: vector.token,
      DATABASE_URL: database.url,
      NEON_FETCH_ENDPOINT: neon.fetchEndpoint,
      SESSION_SECRET: 'round-trips-session-secret-0123456789',
    }
    api = await createApiApp(bindings, (services) => ({
      ...services,
      // At most one write a minute, and always one at the end: each turn below makes exactly
      // two appends (its first event at once, the rest when it ends) on any machine. In
      // production RUN_APPEND_INTERVAL_MS makes that one write per interval of streaming.
      runLog: createRunLog({ kv: services.memory.runKv, appendIntervalMs: 60_000 }),
    }))
  }, 60_000)

  afterAll(async () => {
    await Promise.all([neon?.close(), redis?.close(), vector?.close()])
    await database?.drop()
  })

  const reset = () => {
    for (const log of [redis.requests, vector.requests, neon.sqlRequests]) log.reset()
  }
  // Sorted: requests made concurrently (the breaker read and the first append) may swap.
  // A verified API key is remembered for a few seconds (verified-key-cache.ts, tested there),
  // so whether a warm request reads it again depends on the clock: key lookups are left out.
  const counted = () => ({
    redis: [...redis.requests.entries].sort(),
    vector: [...vector.requests.entries].sort(),
    neon: [...neon.sqlRequests.entries].filter((sql) => sql !== 'select "api_keys"').sort(),
  })
  const settle = async (app: ApiApp) => expect(await app.background.drain(10_000)).toBe(0)
  const report = (surface: string, seen: ReturnType<typeof counted>) =>
    console.log(
      `[round trips] ${surface}: redis ${seen.redis.length}, vector ${seen.vector.length}, neon ${seen.neon.length}`,
    )

  // The Redis requests of the run log and the model breaker, the same on both run surfaces.
  const runLogWrites = [
    'multi-exec RPUSH,PEXPIRE', // append: the turn's first event, at once
    // finish: every other event, when the turn ends, and in the same write the end marker,
    // which closes every reader's tail
    'multi-exec RPUSH,PEXPIRE',
    'pipeline GET,GET', // breaker: is the model's circuit open, and its failure count
    'pipeline SET', // finish: the run record, status final
    'pipeline SET', // create: the run record
  ]
  const runLogRead = [
    'LRANGE', // tail: every event and the end marker in one read of a finished run
    'pipeline GET', // the run record: is it still logged (and live)?
  ]
  // Working memory: the conversation comes from its session, not from history.
  const sessionCalls = [
    'pipeline GET', // send: the session (the conversation and its last 20 messages)
    'pipeline GET', // the user's message appended: the session, to add it
    'pipeline SET', // ... and the session with it
    'pipeline GET', // the answer appended: the session, to add it
    'pipeline SET', // ... and the session with it
  ]
  // Fact extraction after the answer, in the background.
  const factCalls = [
    'pipeline SET', // debounce: this answer's ticket
    'pipeline GET', // debounce: still the latest answer?
    'pipeline SET', // the conversation's extraction lock (if absent)
    'pipeline GET', // the user's turns, from the session
    'pipeline GET,GET', // breaker: is the fast model's circuit open
    'pipeline DEL', // the lock, released
  ]
  // Semantic memory: recall before the model answers (a greeting states no fact to store).
  const vectorCalls = ['/query']
  // History of a warm turn in an existing conversation (Neon's HTTP path: one per query): only
  // writes, the reads are working memory's.
  const historyWrites = [
    'insert "runs"', // the run's history row, if the conversation is the owner's (INSERT ... SELECT)
    'update "runs"', // the route, as soon as the router chose
    'update "runs"', // status, usage and cost at the end
    // appendMessages, one statement each: touch the owner's conversation, insert from it.
    'with update "conversations", insert "messages"', // the user's message
    'with update "conversations", insert "messages"', // the answer
  ]

  it('UI: an htmx send, then its event stream', async () => {
    const guest = await browser((path, init) => api.fetch(`${origin}${path}`, init))
    const first = await guest.post('/c', { content: 'Hello there' })
    const conversationId = /\/c\/([^/"]+)/.exec(first.headers.get('Location') ?? '')?.[1]
    await settle(api)
    const htmx = { 'HX-Request': 'true' }
    reset()
    const sent = await guest.post(`/c/${conversationId}/messages`, { content: 'And now?' }, htmx)
    expect(sent.status).toBe(200)
    const runId = /\/runs\/([^/"]+)\/events/.exec(await sent.text())?.[1]
    await settle(api)
    const events = await guest.send(`/c/${conversationId}/runs/${runId}/events`, {
      headers: { Accept: 'text/event-stream', Cookie: guest.cookie, ...htmx },
    })
    expect(await events.text()).toContain('id: ')
    const seen = counted()
    report('UI htmx send + events', seen)
    expect(seen).toEqual({
      redis: [
        ...runLogWrites,
        ...runLogRead,
        ...sessionCalls,
        ...factCalls,
        'pipeline SET', // the conversation's live run, for other tabs
      ].sort(),
      vector: vectorCalls,
      neon: [
        ...historyWrites,
        'insert "users"', // the guest's user row (an upsert: guests need no sign-up)
        'select "runs"', // events: the run is this guest's
      ].sort(),
    })
  })

  it('REST: POST /api/conversations/{id}/messages, then its events', async () => {
    const user = await api.user('rest')
    const auth = { Authorization: `Bearer ${user.secret}`, 'Content-Type': 'application/json' }
    const created = await api.fetch('/api/conversations', {
      method: 'POST',
      headers: auth,
      body: '{}',
    })
    const { id } = (await created.json()) as { id: string }
    const send = async () => {
      const response = await api.fetch(`/api/conversations/${id}/messages`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ content: 'Hello there' }),
      })
      expect(response.status).toBe(202)
      return (await response.json()) as { events_url: string }
    }
    await readSse(await api.fetch((await send()).events_url, { headers: auth }))
    await settle(api)
    reset()
    const sent = await send()
    await settle(api)
    const frames = await readSse(await api.fetch(sent.events_url, { headers: auth }))
    expect(frames.at(-1)?.event).toBe('turn-end')
    const seen = counted()
    report('REST send + events', seen)
    expect(seen).toEqual({
      redis: [
        ...runLogWrites,
        ...runLogRead,
        ...sessionCalls,
        ...factCalls,
        // The conversation's running run (not shown on pages): an edit waits for it (issue 18).
        'pipeline SET',
      ].sort(),
      vector: vectorCalls,
      neon: [
        ...historyWrites,
        'select "runs"', // events: the run is this user's
      ].sort(),
    })
  })

  it('/v1/chat/completions (stateless)', async () => {
    const user = await api.user('v1')
    const complete = () =>
      api.fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { Authorization: `Bearer ${user.secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'Hello' }] }),
      })
    await (await complete()).json()
    await settle(api)
    reset()
    expect((await complete()).status).toBe(200)
    await settle(api)
    const seen = counted()
    report('/v1/chat/completions', seen)
    expect(seen).toEqual({
      redis: [
        // The completion is a short-lived run (issue 11): its log is written behind the answer,
        // never awaited by it: the record (create, finish) and the events in batches; an
        // answer quicker than the append interval in one batch, with the end marker.
        'multi-exec RPUSH,PEXPIRE',
        'pipeline GET,GET', // breaker: is the model's circuit open, and its failures
        'pipeline SET',
        'pipeline SET',
      ],
      vector: [],
      neon: [],
    })
  })

  it('prints a live REST turn at a model pace, with the production append interval', async () => {
    // Not pinned: how many appends and tail reads a streamed answer takes depends on its
    // pace. Printed for the record (about one write and one read per RUN_APPEND_INTERVAL_MS).
    const paced = await createApiApp({ ...bindings, DEMO_WORD_DELAY_MS: '35' })
    const user = await paced.user('live')
    const auth = { Authorization: `Bearer ${user.secret}`, 'Content-Type': 'application/json' }
    const created = await paced.fetch('/api/conversations', {
      method: 'POST',
      headers: auth,
      body: '{}',
    })
    const { id } = (await created.json()) as { id: string }
    const turn = async () => {
      const response = await paced.fetch(`/api/conversations/${id}/messages`, {
        method: 'POST',
        headers: { ...auth, Accept: 'text/event-stream' },
        body: JSON.stringify({ content: 'Tell me something' }),
      })
      const frames = await readSse(response)
      await settle(paced)
      return frames.filter((f) => f.event === 'text-delta').length
    }
    await turn()
    reset()
    const deltas = await turn()
    report(`live REST turn streamed (${deltas} text deltas)`, counted())
    const tally = new Map<string, number>()
    for (const label of redis.requests.entries) tally.set(label, (tally.get(label) ?? 0) + 1)
    console.log(tally)
    expect(deltas).toBeGreaterThan(5)
  }, 30_000)
})
