import { beforeAll, describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../src/core/agent/agent-event.ts'
import { createRunApprovals } from '../../src/core/runs/run-approvals.ts'
import { type ApiApp, createApiApp } from '../support/api-app.ts'
import { browser, setup, startChat } from '../support/chat-browser.ts'
import { createSocketApp } from '../support/socket-app.ts'

// The demo model calls the calculator for arithmetic; configuration makes it need approval.
const question = 'what is 12 * (3 + 4)?'
const vars = { TOOLS_REQUIRING_APPROVAL: 'calculator' }

type Approval = Extract<AgentEvent, { type: 'approval-request' }>

/** The run's events up to (and including) its first approval request. */
async function approvalRequest(app: ApiApp | { services: ApiApp['services'] }, runId: string) {
  for await (const { event } of app.services.runLog.tail(runId, 0)) {
    if (event.type === 'approval-request') return event
    if (event.type === 'turn-end') break
  }
  throw new Error('The run ended without asking for approval')
}

/** Every event of the run, once it has ended. */
async function allEvents(app: { services: ApiApp['services'] }, runId: string) {
  const events: AgentEvent[] = []
  for await (const { event } of app.services.runLog.tail(runId, 0)) events.push(event)
  return events
}

const endOf = (events: AgentEvent[]) =>
  events.find((e): e is Extract<AgentEvent, { type: 'turn-end' }> => e.type === 'turn-end')

describe('tool approval over REST', () => {
  let api: ApiApp
  let alice: Awaited<ReturnType<ApiApp['user']>>
  let bob: Awaited<ReturnType<ApiApp['user']>>
  beforeAll(async () => {
    api = await createApiApp(vars)
    alice = await api.user('alice')
    bob = await api.user('bob')
  })

  const call = (secret: string, path: string, body?: unknown) =>
    api.fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
  const ask = async () => {
    const conversation = await (await call(alice.secret, '/api/conversations', {})).json()
    const started = await call(alice.secret, `/api/conversations/${conversation.id}/messages`, {
      content: question,
    })
    expect(started.status).toBe(202)
    const { run_id: runId } = (await started.json()) as { run_id: string }
    return { runId, request: await approvalRequest(api, runId) }
  }
  const decide = (secret: string, runId: string, body: unknown) =>
    call(secret, `/api/runs/${runId}/approvals`, body)

  it('pauses the run, and an approval runs the tool in the same run', async () => {
    const { runId, request } = await ask()
    expect(request).toMatchObject({ name: 'calculator', input: { expression: '12 * (3 + 4)' } })
    expect(request.deadline).toBeGreaterThan(Date.now())
    // Paused: no tool result while nobody has answered.
    const before = await api.services.runLog.read(runId)
    expect(before.some((e) => e.event.type === 'tool-result')).toBe(false)
    expect((await call(alice.secret, `/api/runs/${runId}`)).status).toBe(200)

    const approved = await decide(alice.secret, runId, { call_id: request.id, decision: 'approve' })
    expect(approved.status).toBe(200)
    expect(await approved.json()).toEqual({ call_id: request.id, decision: 'approve' })
    const events = await allEvents(api, runId)
    expect(events.map((e) => e.type)).toContain('approval')
    expect(events.find((e) => e.type === 'approval')).toMatchObject({
      id: request.id,
      decision: 'approve',
      by: 'user',
    })
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({ ok: true })
    expect(endOf(events)).toMatchObject({ reason: 'done', text: expect.stringContaining('= 84') })
    // The seqs of the one run have no gaps across the pause.
    const seqs = (await api.services.runLog.read(runId)).map((e) => e.seq)
    expect(seqs).toEqual(seqs.map((_, i) => i + 1))

    // Decided already (and the run is over).
    const again = await decide(alice.secret, runId, { call_id: request.id, decision: 'deny' })
    expect(again.status).toBe(409)
  })

  it('a denial gives the model a tool result saying so, and the turn goes on', async () => {
    const { runId, request } = await ask()
    const denied = await decide(alice.secret, runId, { call_id: request.id, decision: 'deny' })
    expect(denied.status).toBe(200)
    const events = await allEvents(api, runId)
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({
      ok: false,
      content: expect.stringContaining('The user denied this tool call'),
    })
    // The demo model answers from the tool result it was given: the denial.
    expect(endOf(events)).toMatchObject({
      reason: 'done',
      text: expect.stringContaining('The calculator tool failed: Error (denied)'),
    })
  })

  it('answers 409 to a second decision, 404 to another user and unknown calls, 400 to bad bodies', async () => {
    const { runId, request } = await ask()
    const body = { call_id: request.id, decision: 'approve' }
    const bobs = await decide(bob.secret, runId, body)
    expect(bobs.status).toBe(404)
    expect(await bobs.json()).toMatchObject({ error: { code: 'not_found' } })
    const unknownCall = await decide(alice.secret, runId, { ...body, call_id: 'nope' })
    expect(unknownCall.status).toBe(404)
    expect((await decide(alice.secret, 'no-such-run', body)).status).toBe(404)
    for (const bad of [{ call_id: request.id, decision: 'maybe' }, { decision: 'approve' }, '{']) {
      const response = await decide(alice.secret, runId, bad)
      expect(response.status).toBe(400)
      expect((await response.json()).error.code).toMatch(/invalid_request|invalid_json|bad_request/)
    }
    expect((await decide(alice.secret, runId, body)).status).toBe(200)
    const twice = await decide(alice.secret, runId, { ...body, decision: 'deny' })
    expect(twice.status).toBe(409)
    expect(await twice.json()).toMatchObject({ error: { code: 'approval_decided' } })
    expect(endOf(await allEvents(api, runId))).toMatchObject({ reason: 'done' })
  })

  it('cancelling a paused run ends it cleanly', async () => {
    const { runId, request } = await ask()
    const cancelled = await call(alice.secret, `/api/runs/${runId}/cancel`, {})
    expect(await cancelled.json()).toEqual({ cancelled: true })
    const events = await allEvents(api, runId)
    expect(endOf(events)).toMatchObject({ reason: 'cancelled' })
    expect(events.some((e) => e.type === 'tool-result')).toBe(false)
    const run = await (await call(alice.secret, `/api/runs/${runId}`)).json()
    expect(run.status).toBe('cancelled')
    const late = await decide(alice.secret, runId, { call_id: request.id, decision: 'approve' })
    expect(late.status).toBe(409)
  })
})

describe('tool approval timeout', () => {
  it('counts no answer in time as Deny, and the model is told', async () => {
    const api = await createApiApp(vars, (services) => ({
      ...services,
      approvals: createRunApprovals({
        kv: services.memory.kv,
        timeoutMs: 30,
        ttlMs: 60_000,
        cancelRequested: (runId) => services.runLog.cancelRequested(runId),
      }),
    }))
    const alice = await api.user('alice')
    const headers = { Authorization: `Bearer ${alice.secret}`, 'Content-Type': 'application/json' }
    const conversation = await (
      await api.fetch('/api/conversations', { method: 'POST', headers, body: '{}' })
    ).json()
    const started = await api.fetch(`/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ content: question }),
    })
    const { run_id: runId } = (await started.json()) as { run_id: string }
    const events = await allEvents(api, runId)
    const request = events.find((e): e is Approval => e.type === 'approval-request')
    expect(events.find((e) => e.type === 'approval')).toMatchObject({
      id: request?.id,
      decision: 'deny',
      by: 'timeout',
    })
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({
      ok: false,
      content: expect.stringContaining('Nobody approved this tool call in time'),
    })
    const late = await api.fetch(`/api/runs/${runId}/approvals`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ call_id: request?.id, decision: 'approve' }),
    })
    expect(late.status).toBe(409)
  })
})

describe('tool approval in the UI', () => {
  /** Reads a streamed page until `marker` shows up; the rest of the stream is dropped. */
  async function readUntil(response: Response, marker: string) {
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    let html = ''
    while (!html.includes(marker)) {
      const { done, value } = await reader.read()
      if (done) break
      html += decoder.decode(value, { stream: true })
    }
    await reader.cancel()
    return html
  }

  it('without JavaScript: the run page offers Approve and Deny forms, and the answer follows', async () => {
    const { request } = setup(vars)
    const guest = await browser(request)
    const { location, conversationId, runId } = await startChat(guest, question)
    const paused = await readUntil(await guest.send(location), 'data-decision="deny"')
    const action = `/c/${conversationId}/runs/${runId}/approvals`
    expect(paused).toContain(`<form method="post" action="${action}">`)
    expect(paused).toContain('data-decision="approve"')
    expect(paused.slice(paused.indexOf('class="approval"'))).not.toContain('hx-post')
    const callId = /name="call_id" value="([^"]+)"/.exec(paused)?.[1] ?? ''
    expect(callId).not.toBe('')

    const approved = await guest.post(action, { call_id: callId, decision: 'approve' })
    expect(approved.status).toBe(303)
    expect(approved.headers.get('Location')).toBe(location)
    const html = await (await guest.send(location)).text()
    expect(html).toContain('You approved <code>calculator</code>')
    // The answered prompt is not offered again on the replayed page.
    expect(html).not.toContain('data-decision="approve"')
    expect(html).toContain('class="message assistant final"')
    expect(html).toContain('= 84')

    const twice = await guest.post(action, { call_id: callId, decision: 'deny' })
    expect(twice.status).toBe(409)
    const bad = await guest.post(action, { call_id: callId, decision: 'maybe' })
    expect(bad.status).toBe(400)
  })

  it('with htmx: the live answer carries hx-post forms, and a decision answers 204', async () => {
    const { request } = setup(vars)
    const guest = await browser(request)
    const { conversationId, runId } = await startChat(guest, question)
    const paths = `/c/${conversationId}/runs/${runId}`
    const stream = await readUntil(
      await guest.send(`${paths}/events`, { headers: { Accept: 'text/event-stream' } }),
      'data-decision="deny"',
    )
    expect(stream).toContain(`hx-post="${paths}/approvals"`)
    const callId = /name="call_id" value="([^"]+)"/.exec(stream)?.[1] ?? ''
    const denied = await guest.post(
      `${paths}/approvals`,
      { call_id: callId, decision: 'deny' },
      { 'HX-Request': 'true' },
    )
    expect(denied.status).toBe(204)
    const rest = await (
      await guest.send(`${paths}/events`, { headers: { Accept: 'text/event-stream' } })
    ).text()
    expect(rest).toContain('You denied <code>calculator</code>')
    expect(rest).toContain('The calculator tool failed: Error (denied)')
    // Another guest cannot decide (or even see) the run.
    const stranger = await browser(request)
    const theirs = await stranger.post(`${paths}/approvals`, { call_id: callId, decision: 'deny' })
    expect(theirs.status).toBe(404)
  })
})

describe('tool approval over the WebSocket', () => {
  it("an 'approval' frame decides; a second one is refused, and so is another user's", async () => {
    const { connect } = await createSocketApp({
      DEMO_WORD_DELAY_MS: '0',
      LOG_LEVEL: 'error',
      ...vars,
    })
    const alice = await connect('ws-alice')
    const bob = await connect('ws-bob')
    alice.send({ type: 'send', content: question })
    const run = await alice.next((f) => f.type === 'run')
    if (run.type !== 'run') throw new Error('no run')
    const asked = await alice.next((f) => f.type === 'event' && f.event.type === 'approval-request')
    if (asked.type !== 'event' || asked.event.type !== 'approval-request') throw new Error('no ask')
    const frame = { type: 'approval', run_id: run.run_id, call_id: asked.event.id }

    bob.send({ ...frame, decision: 'deny' })
    expect(await bob.next((f) => f.type === 'error')).toMatchObject({
      code: 'not_found',
      request: 'approval',
    })
    alice.send({ ...frame, decision: 'maybe' })
    expect(await alice.next((f) => f.type === 'error')).toMatchObject({
      code: 'invalid_request',
      request: 'approval',
    })
    alice.send({ ...frame, decision: 'approve' })
    expect(
      await alice.next((f) => f.type === 'event' && f.event.type === 'approval'),
    ).toMatchObject({ event: { decision: 'approve', by: 'user' } })
    expect(
      await alice.next((f) => f.type === 'event' && f.event.type === 'tool-result'),
    ).toMatchObject({ event: { ok: true } })
    alice.send({ ...frame, decision: 'deny' })
    expect(await alice.next((f) => f.type === 'error')).toMatchObject({
      code: expect.stringMatching(/approval_decided|run_not_live/),
    })
    expect(await alice.next((f) => f.type === 'run-end')).toMatchObject({ status: 'completed' })
    await alice.close()
    await bob.close()
  })
})
