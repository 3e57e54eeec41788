import { describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../../src/core/agent/agent-event.ts'
import type { ChatDeps } from '../../../src/core/chat/chat-deps.ts'
import { deleteConversation } from '../../../src/core/chat/delete-conversation.ts'
import { sendMessage, titleFrom } from '../../../src/core/chat/send-message.ts'
import { parseConfig } from '../../../src/core/config.ts'
import { NotFoundError, ValidationError } from '../../../src/core/errors.ts'
import type { ChatModel, ChatRequest } from '../../../src/core/models/chat-model.ts'
import { chatDeps } from '../../../src/core/request-deps.ts'
import { cancelRun, followRun, getRun } from '../../../src/core/runs/run-access.ts'
import { createServices } from '../../../src/core/services.ts'
import {
  firstPersonFacts,
  parseFactExtractionRequest,
} from '../../../src/core/text/fact-extraction-protocol.ts'
import { createBackgroundTasks } from '../../../src/runtime/background-tasks.ts'
import { collect } from '../../support/collect.ts'

async function setup(overrides: Partial<ChatDeps> = {}) {
  const services = await createServices(
    parseConfig({ DEMO_WORD_DELAY_MS: '0', LOG_LEVEL: 'error' }),
    {
      runtime: 'node',
      hasFileSystem: false,
    },
  )
  const background = createBackgroundTasks()
  const deps: ChatDeps = {
    ...chatDeps({ ...services, defer: (p) => background.waitUntil(p) }),
    factTiming: { debounceMs: 0, lockMs: 5000, turns: 8 },
    ...overrides,
  }
  const owner = (
    await deps.history.upsertUser({ id: `user-${Math.random().toString(36).slice(2)}` })
  ).id
  return { deps, owner, background }
}

const events = async (entries: AsyncIterable<{ event: AgentEvent }>) =>
  (await collect(entries)).map((entry) => entry.event)

describe('sendMessage', () => {
  it('starts a conversation, answers with the demo model and stores both messages', async () => {
    const { deps, owner, background } = await setup()
    const sent = await sendMessage(deps, { ownerId: owner, content: 'Hello there\nsecond line' })
    expect(sent.conversation.title).toBe('Hello there')
    const stream = await events(sent.run.events)
    expect(stream[0]?.type).toBe('route')
    const end = stream.at(-1)
    expect(end).toMatchObject({ type: 'turn-end', reason: 'done' })
    await background.drain(1000)

    const messages = (await deps.history.listMessages(owner, sent.conversation.id))?.items ?? []
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant'])
    const route = stream[0] as { tier: string; reason: string }
    expect(messages[1]?.content).toEqual([
      { type: 'text', text: (end as { text: string }).text },
      // The router's choice is kept with the answer, so later pages can say why.
      { type: 'route', tier: route.tier, reason: route.reason },
    ])
    expect(messages[1]?.model).toMatch(/^demo:/)
    const { run } = await getRun(deps, owner, sent.run.id)
    expect(run).toMatchObject({ status: 'completed', route: { type: 'route' } })
    expect(run.finishedAt).toEqual(expect.any(Number))
  })

  it('records the tool calls and results that answered', async () => {
    const { deps, owner } = await setup()
    const sent = await sendMessage(deps, { ownerId: owner, content: 'What time is it?' })
    const stream = await events(sent.run.events)
    expect(stream.map((e) => e.type)).toContain('tool-result')
    const [, answer] = (await deps.history.listMessages(owner, sent.conversation.id))?.items ?? []
    expect(answer?.toolCalls).toEqual([expect.objectContaining({ name: 'current_time' })])
    expect(answer?.toolResults).toEqual([expect.objectContaining({ isError: false })])
  })

  it('gives the model the conversation so far, oldest first', async () => {
    const seen: ChatRequest[] = []
    const echo: ChatModel = {
      id: 'demo:echo',
      provider: 'demo',
      model: 'echo',
      async *stream(request) {
        seen.push(request)
        yield { type: 'text-delta', text: `answer ${seen.length}` }
        yield { type: 'finish', reason: 'stop' }
      },
    }
    const { deps, owner } = await setup()
    const withEcho: ChatDeps = {
      ...deps,
      turn: {
        ...deps.turn,
        tools: undefined,
        models: { get: async () => echo, ping: async () => {} },
      },
    }
    const first = await sendMessage(withEcho, { ownerId: owner, content: 'first question' })
    await collect(first.run.events)
    const second = await sendMessage(withEcho, {
      ownerId: owner,
      conversationId: first.conversation.id,
      content: 'second question',
    })
    await collect(second.run.events)
    const context = seen[1]?.messages.filter((m) => m.role !== 'system')
    expect(context?.map((m) => [m.role, m.content])).toEqual([
      ['user', 'first question'],
      ['assistant', 'answer 1'],
      ['user', 'second question'],
    ])
  })

  it('recalls a fact from another conversation of the same owner, as data in the user turn', async () => {
    const seen: ChatRequest[] = []
    const model: ChatModel = {
      id: 'demo:echo',
      provider: 'demo',
      model: 'echo',
      async *stream(request) {
        const last = request.messages.at(-1)?.content
        const turns = typeof last === 'string' ? parseFactExtractionRequest(last) : undefined
        if (turns) {
          // The background extraction: answered by rule, as the demo model does.
          yield { type: 'text-delta', text: JSON.stringify({ facts: firstPersonFacts(turns) }) }
        } else {
          seen.push(request)
          yield { type: 'text-delta', text: 'Noted.' }
        }
        yield { type: 'finish', reason: 'stop' }
      },
    }
    const { deps, owner, background } = await setup()
    const d: ChatDeps = {
      ...deps,
      turn: {
        ...deps.turn,
        tools: undefined,
        models: { get: async () => model, ping: async () => {} },
      },
    }
    const first = await sendMessage(d, { ownerId: owner, content: 'My cat is called Miso.' })
    await collect(first.run.events)
    await background.drain(1000)
    const asked = await sendMessage(d, { ownerId: owner, content: 'What is my cat called?' })
    const stream = await events(asked.run.events)
    const recall = stream.find((e) => e.type === 'recall')
    expect(recall).toMatchObject({
      memories: [{ text: "The user's cat is called Miso", conversationId: first.conversation.id }],
    })
    // In the user's turn, delimited as data; never a system message.
    const messages = seen[1]?.messages ?? []
    expect(
      messages
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join(),
    ).not.toContain('Miso')
    const user = messages.at(-1)
    expect(user?.role).toBe('user')
    expect(user?.content).toMatch(
      /^<recalled-memories>\n[\s\S]*- The user's cat is called Miso\n<\/recalled-memories>\n\nWhat is my cat called\?$/,
    )
    // Kept with the answer, so the page shows it after a reload.
    await background.drain(1000)
    const [, answer] = (await d.history.listMessages(owner, asked.conversation.id))?.items ?? []
    expect(answer?.content).toContainEqual(expect.objectContaining({ type: 'recall' }))

    // Another owner asking the same recalls nothing.
    const stranger = (await d.history.upsertUser({ id: `${owner}-other` })).id
    const theirs = await sendMessage(d, { ownerId: stranger, content: 'What is my cat called?' })
    expect((await events(theirs.run.events)).some((e) => e.type === 'recall')).toBe(false)

    // Deleting the conversation the fact came from deletes the fact.
    expect(await deleteConversation(d, owner, first.conversation.id)).toBe(true)
    const again = await sendMessage(d, { ownerId: owner, content: 'What is my cat called?' })
    expect((await events(again.run.events)).some((e) => e.type === 'recall')).toBe(false)
  })

  it('rejects empty and oversized messages, and conversations of another owner', async () => {
    const { deps, owner } = await setup()
    await expect(sendMessage(deps, { ownerId: owner, content: '   ' })).rejects.toBeInstanceOf(
      ValidationError,
    )
    await expect(
      sendMessage(deps, { ownerId: owner, content: 'x'.repeat(32_001) }),
    ).rejects.toMatchObject({
      code: 'message_too_long',
    })
    const sent = await sendMessage(deps, { ownerId: owner, content: 'mine' })
    const other = (await deps.history.upsertUser({ id: 'other-owner' })).id
    await expect(
      sendMessage(deps, { ownerId: other, conversationId: sent.conversation.id, content: 'hi' }),
    ).rejects.toBeInstanceOf(NotFoundError)
    await expect(
      sendMessage(deps, { ownerId: owner, content: 'x', model: 'gpt 4' }),
    ).rejects.toMatchObject({
      code: 'model_invalid',
    })
  })

  it('honours an explicit tier', async () => {
    const { deps, owner } = await setup()
    const sent = await sendMessage(deps, { ownerId: owner, content: 'hello', model: 'code' })
    const [route] = await events(sent.run.events)
    expect(route).toMatchObject({ type: 'route', tier: 'code', source: 'tier' })
  })
})

describe('following and cancelling runs', () => {
  it('resumes after a sequence number with exactly the remaining events', async () => {
    const { deps, owner } = await setup()
    const sent = await sendMessage(deps, { ownerId: owner, content: 'Tell me about Outpost' })
    const all = await collect(sent.run.events)
    const rest = await collect(await followRun(deps, owner, sent.run.id, 3))
    expect(rest).toEqual(all.slice(3))
  })

  it('hides runs from other owners', async () => {
    const { deps, owner } = await setup()
    const sent = await sendMessage(deps, { ownerId: owner, content: 'secret' })
    await expect(followRun(deps, 'intruder', sent.run.id, 0)).rejects.toBeInstanceOf(NotFoundError)
    await expect(cancelRun(deps, 'intruder', sent.run.id)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('cancels a live run; history says cancelled', async () => {
    const services = await createServices(
      parseConfig({ DEMO_WORD_DELAY_MS: '20', LOG_LEVEL: 'error' }),
      {
        runtime: 'node',
        hasFileSystem: false,
      },
    )
    const background = createBackgroundTasks()
    const deps = chatDeps({ ...services, defer: (p) => background.waitUntil(p) })
    const owner = (await deps.history.upsertUser({ id: 'canceller' })).id
    const sent = await sendMessage(deps, {
      ownerId: owner,
      content: 'Tell me a long story about the sea',
    })
    const seen: AgentEvent[] = []
    for await (const { event } of sent.run.events) {
      seen.push(event)
      if (event.type === 'text-delta' && seen.length === 3)
        expect(await cancelRun(deps, owner, sent.run.id)).toBe(true)
    }
    expect(seen.at(-1)).toMatchObject({ type: 'turn-end', reason: 'cancelled' })
    await background.drain(2000)
    expect((await getRun(deps, owner, sent.run.id)).run.status).toBe('cancelled')
    expect(await cancelRun(deps, owner, sent.run.id)).toBe(false)
  })
})

describe('titleFrom', () => {
  it('takes the first line, shortened to 60 characters', () => {
    expect(titleFrom('short')).toBe('short')
    expect(titleFrom(`${'a'.repeat(80)}\nmore`)).toBe(`${'a'.repeat(59)}…`)
  })
})

describe('semantic memory with an embedding model (EMBEDDING_MODEL)', () => {
  it('embeds facts at the configured OpenAI-compatible endpoint and recalls them', async () => {
    const { startMockLlm } = await import('../../support/mock-llm/index.ts')
    const mock = await startMockLlm({ embeddingDimensions: 384 })
    try {
      const services = await createServices(
        parseConfig({
          EMBEDDING_MODEL: 'all-minilm',
          OPENAI_BASE_URL: `${mock.url}/v1`,
          LOCAL_MODEL: 'mock-1',
          LOG_LEVEL: 'error',
        }),
        { runtime: 'node', hasFileSystem: false },
      )
      const background = createBackgroundTasks()
      const deps: ChatDeps = {
        ...chatDeps({ ...services, defer: (p) => background.waitUntil(p) }),
        factTiming: { debounceMs: 0, lockMs: 5000, turns: 8 },
      }
      const owner = (await deps.history.upsertUser({ id: 'embedder-user' })).id
      const first = await sendMessage(deps, {
        ownerId: owner,
        content: 'My code word is heron.',
      })
      await collect(first.run.events)
      await background.drain(2000)
      const embedded = mock.requests.filter((r) => r.path === '/v1/embeddings')
      expect(embedded.length).toBeGreaterThan(0)
      // The owner has exactly one memory: the fact, stored with the model's vector.
      const recalled = await deps.semantic.query('code word', { filter: { owner } })
      expect(recalled).toHaveLength(1)
      expect(recalled[0]?.metadata.text).toContain('heron')
      expect(mock.requests.filter((r) => r.path === '/v1/embeddings').length).toBeGreaterThan(
        embedded.length,
      )
    } finally {
      await mock.close()
    }
  })
})

describe('owners without a user row', () => {
  it('start a conversation all the same (keys from configuration, forgotten guests)', async () => {
    const { deps } = await setup()
    const sent = await sendMessage(deps, { ownerId: 'configured-key-user', content: 'hello' })
    await collect(sent.run.events)
    expect(await deps.history.getUser('configured-key-user')).toMatchObject({
      id: 'configured-key-user',
    })
  })
})
