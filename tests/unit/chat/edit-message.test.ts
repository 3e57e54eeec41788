import { describe, expect, it } from 'vitest'
import { editMessage } from '../../../src/core/chat/edit-message.ts'
import { sendMessage } from '../../../src/core/chat/send-message.ts'
import { parseConfig } from '../../../src/core/config.ts'
import type { ChatRequest } from '../../../src/core/models/chat-model.ts'
import { streamWithFallback } from '../../../src/core/models/fallback.ts'
import { chatDeps } from '../../../src/core/request-deps.ts'
import { createServices } from '../../../src/core/services.ts'
import { createBackgroundTasks } from '../../../src/runtime/background-tasks.ts'
import { collect } from '../../support/collect.ts'

/** Chat deps whose model calls are recorded: what the model was sent, turn by turn. */
async function setup() {
  const services = await createServices(
    parseConfig({ DEMO_WORD_DELAY_MS: '0', LOG_LEVEL: 'error' }),
    { runtime: 'node', hasFileSystem: false },
  )
  const background = createBackgroundTasks()
  const base = chatDeps({ ...services, defer: (p) => background.waitUntil(p) })
  const sent: ChatRequest[] = []
  const deps = {
    ...base,
    turn: {
      ...base.turn,
      call: ((options, candidates, request, signal) => {
        sent.push(request)
        return streamWithFallback(options, candidates, request, signal)
      }) as typeof streamWithFallback,
    },
  }
  const owner = (await deps.history.upsertUser({ id: `user-${crypto.randomUUID()}` })).id
  return { deps, owner, background, sent }
}

const texts = (request: ChatRequest | undefined) =>
  (request?.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : '[parts]'))

describe('editMessage', () => {
  it('leaves the superseded question and answer out of every later turn', async () => {
    const { deps, owner, background, sent } = await setup()
    const first = await sendMessage(deps, { ownerId: owner, content: 'Kept question' })
    await collect(first.run.events)
    const id = first.conversation.id
    const second = await sendMessage(deps, {
      ownerId: owner,
      conversationId: id,
      content: 'Forgotten question',
    })
    await collect(second.run.events)
    await background.drain(1000)

    const edited = await editMessage(deps, {
      ownerId: owner,
      conversationId: id,
      messageId: second.userMessage.id,
      content: 'Edited question',
    })
    await collect(edited.run.events)
    await background.drain(1000)
    const third = await sendMessage(deps, { ownerId: owner, conversationId: id, content: 'Next' })
    await collect(third.run.events)
    await background.drain(1000)

    const [editTurn, nextTurn] = sent.slice(-2).map(texts)
    expect(editTurn?.join('\n')).toContain('Kept question')
    expect(editTurn?.join('\n')).toContain('Edited question')
    expect(editTurn?.join('\n')).not.toContain('Forgotten question')
    expect(nextTurn?.join('\n')).toContain('Edited question')
    expect(nextTurn?.join('\n')).not.toContain('Forgotten question')
  })
})
