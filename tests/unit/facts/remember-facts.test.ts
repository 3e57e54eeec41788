import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemPrompt } from '../../../src/core/chat/system-prompt.ts'
import { parseConfig } from '../../../src/core/config.ts'
import { type FactDeps, rememberFacts } from '../../../src/core/facts/remember-facts.ts'
import { storeFact } from '../../../src/core/facts/store-fact.ts'
import { createServices, type Services } from '../../../src/core/services.ts'
import { type MockLlm, startMockLlm } from '../../support/mock-llm/index.ts'

let mock: MockLlm
let services: Services
beforeAll(async () => {
  mock = await startMockLlm()
  services = await createServices(
    parseConfig({ LOCAL_MODEL: 'mock-1', OPENAI_BASE_URL: `${mock.url}/v1`, LOG_LEVEL: 'error' }),
    { runtime: 'node', hasFileSystem: false },
  )
})
afterAll(() => mock?.close())

const noWait = { debounceMs: 0, lockMs: 5000, turns: 8 }
let counter = 0

/** A conversation of `turns` ([role, text]) for a fresh owner, and the deps to remember it. */
async function conversation(turns: [role: 'user' | 'assistant', text: string][]) {
  const { history, semantic, kv } = services.memory
  const ownerId = (await history.upsertUser({ id: `facts-${Date.now()}-${++counter}` })).id
  const { id: conversationId } = await history.createConversation(ownerId)
  const stored = await history.appendMessages(
    ownerId,
    conversationId,
    turns.map(([role, text]) => ({ role, content: [{ type: 'text', text }] })),
  )
  const deps: FactDeps = {
    semantic,
    history,
    kv,
    turn: { ...services.turn, system: systemPrompt },
    sleep: async () => {},
  }
  return { ownerId, conversationId, deps, messages: stored ?? [] }
}

const extractionRequests = () =>
  mock.requests.filter((r) => JSON.stringify(r.body).includes('outpost:extract-facts'))

describe('remembering facts from a conversation', () => {
  it('stores durable facts from the user turns, with where each was said', async () => {
    const { ownerId, conversationId, deps, messages } = await conversation([
      ['user', 'Hi! My cat is called Miso. What food suits a kitten?'],
      ['assistant', 'Kittens need food rich in protein.'],
      ['user', 'I live in Lisbon.'],
    ])
    const outcomes = await rememberFacts(deps, { ownerId, conversationId }, noWait)
    expect(outcomes).toEqual([
      { text: "The user's cat is called Miso", stored: 'added' },
      { text: 'The user lives in Lisbon', stored: 'added' },
    ])
    const listed = await deps.semantic.list({ owner: ownerId })
    const byText = new Map(listed.map((m) => [m.metadata.text, m.metadata]))
    expect(byText.get("The user's cat is called Miso")).toMatchObject({
      conversationId,
      messageId: messages[0]?.id,
      kind: 'fact',
    })
    expect(byText.get('The user lives in Lisbon')?.messageId).toBe(messages[2]?.id)
  })

  it("never shows the extractor the assistant's text or the system prompt", async () => {
    mock.reset()
    const { ownerId, conversationId, deps } = await conversation([
      ['user', 'Tell me about yourself'],
      ['assistant', 'My name is Outpost and I live in the cloud. I love helping.'],
    ])
    expect(await rememberFacts(deps, { ownerId, conversationId }, noWait)).toEqual([])
    const [request] = extractionRequests()
    expect(JSON.stringify(request?.body)).not.toContain('live in the cloud')
    expect(JSON.stringify(request?.body)).not.toContain(systemPrompt)
    expect(await deps.semantic.list({ owner: ownerId })).toEqual([])
  })

  it('redacts secrets before the extractor sees them, and stores no fact about one', async () => {
    mock.reset()
    const { ownerId, conversationId, deps } = await conversation([
      [
        'user',
        'My password is hunter2. My API key is sk-proj-abcdefghijklmnop1234. My card is 4242 4242 4242 4242. I speak Portuguese.',
      ],
    ])
    const outcomes = await rememberFacts(deps, { ownerId, conversationId }, noWait)
    const body = JSON.stringify(extractionRequests()[0]?.body)
    for (const secret of ['hunter2', 'sk-proj-abcdefghijklmnop1234', '4242 4242 4242 4242'])
      expect(body).not.toContain(secret)
    expect(outcomes).toContainEqual({
      text: "The user's password is [redacted]",
      dropped: 'secret',
    })
    const stored = (await deps.semantic.list({ owner: ownerId })).map((m) => m.metadata.text)
    expect(stored).toEqual(['The user speaks Portuguese'])
  })

  it('drops what the model made up: system-prompt echoes and facts the user never stated', async () => {
    const { ownerId, conversationId, deps } = await conversation([['user', 'I work as a nurse.']])
    mock.script(
      {
        kind: 'text',
        text: JSON.stringify({
          facts: [
            { text: 'The user is Outpost, a helpful assistant that answers clearly', turn: 0 },
            { text: 'The user owns a yacht in Monaco', turn: 0 },
            { text: 'The user works as a nurse', turn: 0 },
            { text: 'The user works as a nurse.', turn: 0 },
            { text: 'A fact from a turn that does not exist', turn: 7 },
          ],
        }),
      },
      { facts: true },
    )
    const outcomes = await rememberFacts(deps, { ownerId, conversationId }, noWait)
    expect(outcomes).toEqual([
      {
        text: 'The user is Outpost, a helpful assistant that answers clearly',
        dropped: 'system-prompt',
      },
      { text: 'The user owns a yacht in Monaco', dropped: 'ungrounded' },
      { text: 'The user works as a nurse', stored: 'added' },
    ])
  })

  it('stores nothing from an answer that is not the schema', async () => {
    const { ownerId, conversationId, deps } = await conversation([['user', 'My dog is Rex.']])
    mock.script(
      { kind: 'text', text: '{"facts": [{"text": "The user has a dog", "extra": 1}]}' },
      { facts: true },
    )
    expect(await rememberFacts(deps, { ownerId, conversationId }, noWait)).toEqual([])
    mock.script({ kind: 'text', text: 'Sure! The user has a dog called Rex.' }, { facts: true })
    expect(await rememberFacts(deps, { ownerId, conversationId }, noWait)).toEqual([])
    expect(await deps.semantic.list({ owner: ownerId })).toEqual([])
  })

  it('does not store the same fact twice when the conversation is read again', async () => {
    const { ownerId, conversationId, deps } = await conversation([
      ['user', 'My dog is called Rex.'],
      ['user', 'my dog is called Rex'],
    ])
    expect(await rememberFacts(deps, { ownerId, conversationId }, noWait)).toEqual([
      { text: "The user's dog is called Rex", stored: 'added' },
    ])
    expect(await rememberFacts(deps, { ownerId, conversationId }, noWait)).toEqual([
      { text: "The user's dog is called Rex", stored: 'duplicate' },
    ])
    expect(await deps.semantic.list({ owner: ownerId })).toHaveLength(1)
  })

  it('purges facts past MEMORY_TTL_DAYS before storing, so a fact said again is kept afresh', async () => {
    const { ownerId, conversationId, deps } = await conversation([
      ['user', 'My dog is called Rex.'],
    ])
    const day = 86_400_000
    const now = Date.UTC(2026, 10, 30)
    const old = (text: string) =>
      storeFact(deps, { ownerId, text, conversationId, messageId: 'm-old', at: now - 40 * day })
    await old("The user's dog is called Rex")
    await old('The user plays the cello')
    const outcomes = await rememberFacts(
      { ...deps, memoryTtlMs: 30 * day, now: () => now },
      { ownerId, conversationId },
      noWait,
    )
    // Not a duplicate of the expired record: stored again, with today's time.
    expect(outcomes).toEqual([{ text: "The user's dog is called Rex", stored: 'added' }])
    const listed = await deps.semantic.list({ owner: ownerId })
    expect(listed.map((m) => [m.metadata.text, m.metadata.createdAt])).toEqual([
      ["The user's dog is called Rex", now],
    ])
  })

  it('debounces per conversation: a later answer takes over; a held lock skips', async () => {
    const { ownerId, conversationId, deps } = await conversation([['user', 'I love jazz.']])
    let release: () => void = () => {}
    const first = rememberFacts(
      { ...deps, sleep: () => new Promise<void>((resolve) => (release = resolve)) },
      { ownerId, conversationId },
      noWait,
    )
    const second = rememberFacts(deps, { ownerId, conversationId }, noWait)
    expect(await second).toEqual([{ text: 'The user loves jazz', stored: 'added' }])
    release()
    expect(await first).toBe('skipped')

    await deps.kv.set(`facts:lock:${conversationId}`, 'someone else', { ttlMs: 5000 })
    expect(await rememberFacts(deps, { ownerId, conversationId }, noWait)).toBe('skipped')
    await deps.kv.delete(`facts:lock:${conversationId}`)
  })
})
