import { expect, it } from 'vitest'
import type { Conversation } from '../../src/core/domain/history-records.ts'
import { StoreError, ValidationError } from '../../src/core/errors.ts'
import type { HistoryStore } from '../../src/core/memory/history-store.ts'

/** What the history contract needs from one implementation. */
export interface HistoryStoreHarness {
  /** A store over the implementation's shared, migrated database, with this clock. */
  store(options?: { now?: () => number }): HistoryStore
  /** A store whose backend is down (connection refused): calls must fail retryably. */
  unreachable?(): HistoryStore
  /** A store whose backend answers garbage: calls must fail, not retryably. */
  garbage?(): HistoryStore
  /** PostgreSQL text and jsonb cannot hold NUL; such writes must fail non-retryably there. */
  rejectsNul?: boolean
}

let counter = 0
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}`

async function newUser(store: HistoryStore, label = 'user') {
  return (await store.upsertUser({ id: unique(label), email: `${unique(label)}@example.test` })).id
}

async function expectStoreError(promise: Promise<unknown>, retryable: boolean) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StoreError)
  expect((error as StoreError).retryable).toBe(retryable)
}

/**
 * The HistoryStore contract. Call inside a `describe`; `harness` is read when tests run, so
 * it may be assigned in `beforeAll`. Every test makes its own users, so runs can share a
 * database.
 */
export function historyStoreContract(harness: () => HistoryStoreHarness) {
  it('creates, updates and reads users', async () => {
    const store = harness().store({ now: () => 1_700_000_000_000 })
    const id = unique('u')
    expect(await store.getUser(id)).toBeUndefined()
    const created = await store.upsertUser({ id, email: `${id}@example.test`, displayName: 'Ann' })
    expect(created).toEqual({
      id,
      email: `${id}@example.test`,
      displayName: 'Ann',
      createdAt: 1_700_000_000_000,
    })
    await store.upsertUser({ id, displayName: 'Anne' })
    expect(await store.getUser(id)).toEqual({ ...created, displayName: 'Anne' })
  })

  it('creates, reads and renames conversations, bumping updatedAt', async () => {
    let clock = 1_700_000_000_000
    const store = harness().store({ now: () => clock })
    const owner = await newUser(store)
    const first = await store.createConversation(owner, { title: 'first' })
    clock += 1000
    const second = await store.createConversation(owner)
    expect(second).toMatchObject({ ownerId: owner, title: '', createdAt: clock, updatedAt: clock })
    expect(await store.getConversation(owner, first.id)).toEqual(first)
    clock += 1000
    const renamed = await store.renameConversation(owner, first.id, 'Renamed ✓')
    expect(renamed).toEqual({ ...first, title: 'Renamed ✓', updatedAt: clock })
    const page = await store.listConversations(owner)
    expect(page.items.map((c) => c.id)).toEqual([first.id, second.id])
    expect(page.nextCursor).toBeUndefined()
  })

  it('pages conversations newest first without gaps or repeats when timestamps tie', async () => {
    let clock = 1_700_000_000_000
    const store = harness().store({ now: () => clock })
    const owner = await newUser(store)
    const made: Conversation[] = []
    for (let i = 0; i < 23; i++) {
      // Groups of five share a timestamp.
      if (i % 5 === 0) clock += 1
      made.push(await store.createConversation(owner, { title: `c${i}` }))
    }
    const seen: Conversation[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await store.listConversations(owner, { limit: 4, cursor })
      expect(page.items.length).toBeLessThanOrEqual(4)
      seen.push(...page.items)
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(6)
    expect(seen.map((c) => c.id).sort()).toEqual(made.map((c) => c.id).sort())
    expect(new Set(seen.map((c) => c.id)).size).toBe(23)
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i - 1]!.updatedAt).toBeGreaterThanOrEqual(seen[i]!.updatedAt)
    }
    expect(seen[0]!.updatedAt).toBe(clock)
  })

  it('appends messages and pages them in append order both ways, even at one instant', async () => {
    const store = harness().store({ now: () => 1_700_000_000_000 })
    const owner = await newUser(store)
    const conversation = await store.createConversation(owner)
    const texts: string[] = []
    for (let batch = 0; batch < 3; batch++) {
      const input = Array.from({ length: 9 }, (_, i) => {
        const text = `m${batch}-${i}`
        texts.push(text)
        return { role: 'user' as const, content: [{ type: 'text', text }] }
      })
      const appended = await store.appendMessages(owner, conversation.id, input)
      expect(appended?.map((m) => m.content[0]?.text)).toEqual(input.map((m) => m.content[0]?.text))
    }
    for (const order of ['oldest-first', 'newest-first'] as const) {
      const read: string[] = []
      let cursor: string | undefined
      do {
        const page = await store.listMessages(owner, conversation.id, { limit: 4, cursor, order })
        read.push(...(page?.items.map((m) => String(m.content[0]?.text)) ?? []))
        cursor = page?.nextCursor
      } while (cursor)
      expect(read).toEqual(order === 'oldest-first' ? texts : [...texts].reverse())
    }
  })

  it('round-trips every message field, unicode and a 1 MB message unchanged', async () => {
    const store = harness().store()
    const owner = await newUser(store)
    const conversation = await store.createConversation(owner, { title: 'Ünïcødé 会話 🚀' })
    const unicode = 'héllo wörld — 你好 — مرحبا — 👩‍👩‍👧‍👦 — \u{1F600} — tab\tnewline\n"quotes"\\'
    const big = '€ab✓'.repeat(262_144)
    expect(new TextEncoder().encode(big).length).toBeGreaterThanOrEqual(1_048_576)
    const [full, huge] =
      (await store.appendMessages(owner, conversation.id, [
        {
          role: 'assistant',
          content: [
            { type: 'text', text: unicode },
            { type: 'image', url: 'https://example.test/a.png', detail: { w: 1, h: 2 } },
          ],
          model: 'demo-1',
          usage: { inputTokens: 12, outputTokens: 34 },
          toolCalls: [{ id: 'call-1', name: 'search', input: { q: 'ü', n: [1, 2] } }],
          toolResults: [{ toolCallId: 'call-1', output: { hits: [] }, isError: false }],
        },
        { role: 'user', content: [{ type: 'text', text: big }] },
      ])) ?? []
    const page = await store.listMessages(owner, conversation.id)
    expect(page?.items).toEqual([full, huge])
    expect(page?.items[0]).toMatchObject({
      role: 'assistant',
      model: 'demo-1',
      usage: { inputTokens: 12, outputTokens: 34 },
      toolCalls: [{ id: 'call-1', name: 'search', input: { q: 'ü', n: [1, 2] } }],
    })
    expect(page?.items[0]?.content[0]?.text).toBe(unicode)
    expect(page?.items[1]?.content[0]?.text).toBe(big)
    expect((await store.getConversation(owner, conversation.id))?.title).toBe('Ünïcødé 会話 🚀')
  })

  it('never lets one owner read, change or delete what another owns', async () => {
    const store = harness().store({ now: () => 1_700_000_000_000 })
    const alice = await newUser(store, 'alice')
    const bob = await newUser(store, 'bob')
    const conversation = await store.createConversation(alice, { title: 'private' })
    await store.appendMessages(alice, conversation.id, [
      { role: 'user', content: [{ type: 'text', text: 'secret' }] },
    ])
    const run = await store.createRun(alice, { conversationId: conversation.id })
    expect(run).toBeDefined()

    expect(await store.getConversation(bob, conversation.id)).toBeUndefined()
    expect((await store.listConversations(bob)).items).toEqual([])
    expect(await store.renameConversation(bob, conversation.id, 'mine')).toBeUndefined()
    expect(await store.deleteConversation(bob, conversation.id)).toBe(false)
    expect(await store.listMessages(bob, conversation.id)).toBeUndefined()
    expect(
      await store.appendMessages(bob, conversation.id, [
        { role: 'user', content: [{ type: 'text', text: 'injected' }] },
      ]),
    ).toBeUndefined()
    expect(await store.createRun(bob, { conversationId: conversation.id })).toBeUndefined()
    expect(await store.getRun(bob, run!.id)).toBeUndefined()
    expect(await store.updateRun(bob, run!.id, { status: 'cancelled' })).toBeUndefined()

    expect(await store.getConversation(alice, conversation.id)).toEqual(conversation)
    const messages = await store.listMessages(alice, conversation.id)
    expect(messages?.items.map((m) => m.content[0]?.text)).toEqual(['secret'])
    expect((await store.getRun(alice, run!.id))?.status).toBe('running')
  })

  it('soft-deletes: a deleted conversation disappears from every read and write', async () => {
    const store = harness().store()
    const owner = await newUser(store)
    const kept = await store.createConversation(owner, { title: 'kept' })
    const gone = await store.createConversation(owner, { title: 'gone' })
    const run = await store.createRun(owner, { conversationId: gone.id })
    expect(await store.deleteConversation(owner, gone.id)).toBe(true)
    expect(await store.deleteConversation(owner, gone.id)).toBe(false)
    expect(await store.getConversation(owner, gone.id)).toBeUndefined()
    expect((await store.listConversations(owner)).items.map((c) => c.id)).toEqual([kept.id])
    expect(await store.listMessages(owner, gone.id)).toBeUndefined()
    expect(await store.renameConversation(owner, gone.id, 'back')).toBeUndefined()
    expect(
      await store.appendMessages(owner, gone.id, [{ role: 'user', content: [{ type: 'text' }] }]),
    ).toBeUndefined()
    expect(await store.getRun(owner, run!.id)).toBeUndefined()
    expect(await store.listMessages(owner, kept.id)).toEqual({ items: [] })
  })

  it('creates, updates and reads runs', async () => {
    let clock = 1_700_000_000_000
    const store = harness().store({ now: () => clock })
    const owner = await newUser(store)
    const conversation = await store.createConversation(owner)
    const route = { tier: 'fast', candidates: ['demo'], reason: 'short question' }
    const run = await store.createRun(owner, { conversationId: conversation.id, route })
    expect(run).toMatchObject({ status: 'running', route, startedAt: clock, updatedAt: clock })
    expect(run?.error).toBeUndefined()
    clock += 500
    const failed = await store.updateRun(owner, run!.id, {
      status: 'failed',
      error: { code: 'model_unavailable', message: 'all candidates failed' },
      usage: { inputTokens: 5, outputTokens: 0 },
      finishedAt: clock,
    })
    expect(failed).toEqual({
      ...run,
      status: 'failed',
      error: { code: 'model_unavailable', message: 'all candidates failed' },
      usage: { inputTokens: 5, outputTokens: 0 },
      updatedAt: clock,
      finishedAt: clock,
    })
    expect(await store.getRun(owner, run!.id)).toEqual(failed)
    const cleared = await store.updateRun(owner, run!.id, { error: null })
    expect(cleared?.error).toBeUndefined()
    expect(await store.getRun(owner, 'no-such-run')).toBeUndefined()
  })

  it('keeps the cost of messages and runs, to the fraction of a cent', async () => {
    const store = harness().store()
    const owner = await newUser(store)
    const conversation = await store.createConversation(owner)
    const usage = { inputTokens: 1200, outputTokens: 340, costUsd: 0.004_725 }
    const [message] =
      (await store.appendMessages(owner, conversation.id, [
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'priced' }],
          model: 'openai:gpt-4.1',
          usage,
        },
      ])) ?? []
    expect(message?.usage).toEqual(usage)
    const [listed] = (await store.listMessages(owner, conversation.id))?.items ?? []
    expect(listed?.usage).toEqual(usage)
    const run = await store.createRun(owner, { conversationId: conversation.id })
    await store.updateRun(owner, run!.id, { usage })
    expect((await store.getRun(owner, run!.id))?.usage).toEqual(usage)
  })

  it('sums usage per UTC day and model, for the owner only, deleted conversations included', async () => {
    const day = 86_400_000
    const start = Date.UTC(2026, 10, 1) // 2026-11-01T00:00Z
    let clock = start + 23 * 3_600_000 // 23:00 on Nov 1
    const store = harness().store({ now: () => clock })
    const owner = await newUser(store)
    const other = await newUser(store, 'other')
    const kept = await store.createConversation(owner)
    const dropped = await store.createConversation(owner)
    const foreign = await store.createConversation(other)
    const answer = (model: string | undefined, input: number, output: number, cost?: number) => ({
      role: 'assistant' as const,
      content: [{ type: 'text', text: 'answer' }],
      ...(model ? { model } : {}),
      usage: {
        inputTokens: input,
        outputTokens: output,
        ...(cost !== undefined ? { costUsd: cost } : {}),
      },
    })
    await store.appendMessages(owner, kept.id, [
      { role: 'user', content: [{ type: 'text', text: 'question' }] },
      answer('openai:gpt-5-mini', 100, 20, 0.000055),
      answer('openai:gpt-5-mini', 50, 10, 0.000025),
      answer('anthropic:claude-haiku-4-5', 10, 5, 0.01),
    ])
    await store.appendMessages(other, foreign.id, [answer('openai:gpt-5-mini', 9999, 9999, 9)])
    clock += 3_600_000 // 00:00 on Nov 2, UTC
    await store.appendMessages(owner, dropped.id, [
      answer('openai:gpt-5-mini', 7, 3, 0.5),
      answer(undefined, 1, 1),
    ])
    await store.deleteConversation(owner, dropped.id)
    clock = start + 40 * day // outside the range asked below
    await store.appendMessages(owner, kept.id, [answer('openai:gpt-5-mini', 1, 1, 1)])

    const usage = await store.usageByDay(owner, { since: start, until: start + 30 * day })
    expect(usage.map((u) => ({ ...u, costUsd: Math.round(u.costUsd * 1e9) / 1e9 }))).toEqual([
      {
        day: '2026-11-01',
        model: 'anthropic:claude-haiku-4-5',
        inputTokens: 10,
        outputTokens: 5,
        costUsd: 0.01,
        answers: 1,
      },
      {
        day: '2026-11-01',
        model: 'openai:gpt-5-mini',
        inputTokens: 150,
        outputTokens: 30,
        costUsd: 0.00008,
        answers: 2,
      },
      {
        day: '2026-11-02',
        model: 'openai:gpt-5-mini',
        inputTokens: 7,
        outputTokens: 3,
        costUsd: 0.5,
        answers: 1,
      },
      {
        day: '2026-11-02',
        model: 'unknown',
        inputTokens: 1,
        outputTokens: 1,
        costUsd: 0,
        answers: 1,
      },
    ])
    expect(
      await store.usageByDay(owner, { since: start + 2 * day, until: start + 3 * day }),
    ).toEqual([])
  })

  it('rejects foreign and malformed cursors with a ValidationError', async () => {
    const store = harness().store()
    const owner = await newUser(store)
    const conversation = await store.createConversation(owner)
    await store.createConversation(owner)
    const { nextCursor } = await store.listConversations(owner, { limit: 1 })
    expect(nextCursor).toBeDefined()
    for (const cursor of [nextCursor!, 'not-a-cursor', '']) {
      const error = await store
        .listMessages(owner, conversation.id, { cursor })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).code).toBe('invalid_cursor')
    }
  })

  it("reports rejected writes: a broken reference is a StoreError, bad data the input's fault", async () => {
    const store = harness().store()
    // The owner must exist (foreign key).
    await expectStoreError(store.createConversation(unique('nobody')), false)
    if (!harness().rejectsNul) return
    const owner = await newUser(store)
    const conversation = await store.createConversation(owner)
    // Data the database cannot keep (SQLSTATE class 22) is a 400 the client can fix, not a 503.
    const error = await store
      .appendMessages(owner, conversation.id, [
        { role: 'user', content: [{ type: 'text', text: 'a\u0000b' }] },
      ])
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ code: 'input_rejected', status: 400, retryable: false })
  })

  it('searches titles and message text, literally and case-insensitively, owner only', async () => {
    let clock = 1_700_000_000_000
    const store = harness().store({ now: () => clock })
    const owner = await newUser(store)
    const stranger = await newUser(store, 'stranger')
    const byTitle = await store.createConversation(owner, { title: 'Planning the Lisbon trip' })
    clock += 1000
    const byText = await store.createConversation(owner, { title: 'Untitled chat' })
    await store.appendMessages(owner, byText.id, [
      { role: 'user', content: [{ type: 'text', text: 'nothing here' }] },
      {
        role: 'assistant',
        content: [
          { type: 'route', tier: 'fast', reason: 'lisbon in the route is not text' },
          { type: 'text', text: 'Flights to LISBON are cheap;' },
          { type: 'text', text: 'book 100% early_' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'and Lisbon hotels?' }] },
    ])
    clock += 1000
    const elsewhere = await store.createConversation(owner, { title: 'Cooking' })
    await store.appendMessages(owner, elsewhere.id, [
      { role: 'user', content: [{ type: 'text', text: 'book 100 early' }] },
    ])
    const deleted = await store.createConversation(owner, { title: 'Lisbon, deleted' })
    await store.deleteConversation(owner, deleted.id)
    const foreign = await store.createConversation(stranger, { title: 'Lisbon for someone else' })

    const found = await store.searchConversations(owner, '  lisbon ')
    // Newest first; the first matching message (in order), its text parts joined by newlines.
    expect(found.map((m) => m.conversation.id)).toEqual([byText.id, byTitle.id])
    expect(found[0]?.messageText).toBe('Flights to LISBON are cheap;\nbook 100% early_')
    expect(found[0]?.conversation).toEqual(await store.getConversation(owner, byText.id))
    expect(found[1]?.messageText).toBeUndefined()
    // LIKE's wildcards are plain characters: "100%" does not match "100 early".
    expect(
      (await store.searchConversations(owner, '100% early_')).map((m) => m.conversation.id),
    ).toEqual([byText.id])
    expect(await store.searchConversations(owner, 'b%k')).toEqual([])
    expect(await store.searchConversations(owner, 'early%')).toEqual([])
    expect(await store.searchConversations(owner, '   ')).toEqual([])
    expect(await store.searchConversations(owner, 'lisbon', { limit: 1 })).toHaveLength(1)
    expect((await store.searchConversations(stranger, 'lisbon'))[0]?.conversation.id).toBe(
      foreign.id,
    )
  })

  it('supersedes a message and everything after it: hidden from reads and search, still counted as usage', async () => {
    const start = Date.UTC(2026, 10, 1)
    let clock = start
    const store = harness().store({ now: () => clock })
    const owner = await newUser(store)
    const stranger = await newUser(store, 'stranger')
    const conversation = await store.createConversation(owner, { title: 'Trip' })
    const text = (t: string) => [{ type: 'text', text: t }]
    const usage = { inputTokens: 10, outputTokens: 5, costUsd: 0.25 }
    // Two messages at one instant, then the rest: order is (time, id), as pages walk it.
    const [, firstAnswer] =
      (await store.appendMessages(owner, conversation.id, [
        { role: 'user', content: text('first question') },
        { role: 'assistant', content: text('first answer'), model: 'm:a', usage },
      ])) ?? []
    clock += 1000
    const [question, answer] =
      (await store.appendMessages(owner, conversation.id, [
        { role: 'user', content: text('zanzibar question') },
        { role: 'assistant', content: text('zanzibar answer'), model: 'm:a', usage },
      ])) ?? []
    const texts = async () =>
      (await store.listMessages(owner, conversation.id))?.items.map((m) => m.content[0]?.text)

    // Only the owner may supersede; a foreign or unknown conversation is not found.
    expect(await store.supersedeMessages(stranger, conversation.id, question!.id)).toBeUndefined()
    expect(await store.supersedeMessages(owner, 'no-such-conversation', question!.id)).toBe(
      undefined,
    )
    expect(await store.supersedeMessages(owner, conversation.id, 'no-such-message')).toBe(0)
    expect(await texts()).toHaveLength(4)

    clock += 1000
    expect(await store.supersedeMessages(owner, conversation.id, question!.id)).toBe(2)
    expect(await texts()).toEqual(['first question', 'first answer'])
    const newest = await store.listMessages(owner, conversation.id, { order: 'newest-first' })
    expect(newest?.items.map((m) => m.id)).toEqual([firstAnswer!.id, expect.any(String)])
    // Superseding it again marks nothing: of two racing edits, one finds nothing to replace.
    expect(await store.supersedeMessages(owner, conversation.id, question!.id)).toBe(0)
    expect(await store.supersedeMessages(owner, conversation.id, answer!.id)).toBe(0)
    expect(await store.searchConversations(owner, 'zanzibar')).toEqual([])

    // What is appended afterwards is current; the superseded rows stay out of reads.
    clock += 1000
    await store.appendMessages(owner, conversation.id, [
      { role: 'user', content: text('zanzibar, edited') },
    ])
    expect(await texts()).toEqual(['first question', 'first answer', 'zanzibar, edited'])
    expect((await store.searchConversations(owner, 'zanzibar'))[0]?.messageText).toBe(
      'zanzibar, edited',
    )

    // Usage is an account of spending: the superseded answer still counts.
    const spent = await store.usageByDay(owner, { since: start, until: start + 86_400_000 })
    expect(spent.reduce((sum, day) => sum + day.inputTokens, 0)).toBe(20)
  })

  it('fails retryably when the backend is down and not when it answers garbage', async (ctx) => {
    const { unreachable, garbage } = harness()
    // In-memory and PGlite stores have no network backend that could be down or answer garbage.
    if (!unreachable || !garbage) {
      const reason = 'in-process store: no network backend to be down'
      console.warn(`[skip] ${ctx.task.fullName}: ${reason}`)
      ctx.skip(reason)
    }
    await expectStoreError(unreachable!().listConversations('someone'), true)
    await expectStoreError(unreachable!().getUser('someone'), true)
    await expectStoreError(garbage!().listConversations('someone'), false)
    await expectStoreError(garbage!().getUser('someone'), false)
  })
}
