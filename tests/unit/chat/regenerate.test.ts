import { describe, expect, it } from 'vitest'
import { messageText } from '../../../src/core/chat/history-messages.ts'
import { regenerate } from '../../../src/core/chat/regenerate.ts'
import { sendMessage } from '../../../src/core/chat/send-message.ts'
import { parseConfig } from '../../../src/core/config.ts'
import { NotFoundError, ValidationError } from '../../../src/core/errors.ts'
import { chatDeps } from '../../../src/core/request-deps.ts'
import { createServices } from '../../../src/core/services.ts'
import { createBackgroundTasks } from '../../../src/runtime/background-tasks.ts'
import { collect } from '../../support/collect.ts'

async function setup() {
  const services = await createServices(
    parseConfig({ DEMO_WORD_DELAY_MS: '0', LOG_LEVEL: 'error' }),
    { runtime: 'node', hasFileSystem: false },
  )
  const background = createBackgroundTasks()
  const deps = chatDeps({ ...services, defer: (p) => background.waitUntil(p) })
  const owner = (await deps.history.upsertUser({ id: `user-${crypto.randomUUID()}` })).id
  return { deps, owner, background }
}

describe('regenerate', () => {
  it('answers the last user message again without storing it twice', async () => {
    const { deps, owner, background } = await setup()
    const sent = await sendMessage(deps, { ownerId: owner, content: 'Tell me a story' })
    await collect(sent.run.events)
    await background.drain(1000)

    const again = await regenerate(deps, { ownerId: owner, conversationId: sent.conversation.id })
    expect(again.run.id).not.toBe(sent.run.id)
    expect(again.userMessage.id).toBe(sent.userMessage.id)
    const entries = await collect(again.run.events)
    expect(entries.at(-1)?.event).toMatchObject({ type: 'turn-end', reason: 'done' })
    await background.drain(1000)

    const messages = (await deps.history.listMessages(owner, sent.conversation.id))?.items ?? []
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'assistant'])
    expect(messageText(messages[0] ?? { content: [] })).toBe('Tell me a story')
  })

  it('refuses a foreign conversation and one without a question', async () => {
    const { deps, owner } = await setup()
    const sent = await sendMessage(deps, { ownerId: owner, content: 'Hi' })
    await collect(sent.run.events)
    const other = (await deps.history.upsertUser({ id: `user-${crypto.randomUUID()}` })).id
    await expect(
      regenerate(deps, { ownerId: other, conversationId: sent.conversation.id }),
    ).rejects.toBeInstanceOf(NotFoundError)
    const empty = await deps.history.createConversation(owner, { title: 'empty' })
    await expect(
      regenerate(deps, { ownerId: owner, conversationId: empty.id }),
    ).rejects.toBeInstanceOf(ValidationError)
  })
})
