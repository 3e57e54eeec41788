import { describe, expect, it } from 'vitest'
import type { HistoryStore } from '../../../src/core/memory/history-store.ts'
import { createInMemoryHistoryStore } from '../../../src/core/memory/in-memory-history-store.ts'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import type { KvStore } from '../../../src/core/memory/kv-store.ts'
import {
  loadSession,
  sessionKey,
  withWorkingMemory,
} from '../../../src/core/memory/working-memory.ts'

/** History that counts its reads, behind working memory. */
async function setup() {
  const plain = createInMemoryHistoryStore()
  const reads: string[] = []
  const counted = new Proxy(plain, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (property === 'getConversation' || property === 'listMessages') {
        return (...args: unknown[]) => {
          reads.push(property)
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      }
      return value
    },
  }) as HistoryStore
  const kv = createInMemoryKvStore({ maxEntries: 100 })
  const history = withWorkingMemory(counted, kv)
  const ownerId = (await history.upsertUser({ id: `wm-${Math.random()}` })).id
  const conversation = await history.createConversation(ownerId)
  const say = (text: string) =>
    history.appendMessages(ownerId, conversation.id, [
      { role: 'user', content: [{ type: 'text', text }] },
    ])
  const texts = async () =>
    (await loadSession({ history, kv }, ownerId, conversation.id))?.messages.map(
      (m) => m.content[0]?.text,
    )
  return { history, kv, reads, ownerId, conversation, say, texts }
}

describe('working memory (session:{id})', () => {
  it('serves a warm conversation without reading history, and keeps it warm as it grows', async () => {
    const { reads, say, texts } = await setup()
    await say('one')
    await say('two')
    expect(await texts()).toEqual(['one', 'two'])
    // Created warm, kept warm by every append: history was never read.
    expect(reads).toEqual([])
  })

  it('reads history once when cold, then not again', async () => {
    const { kv, reads, conversation, say, texts } = await setup()
    await say('one')
    await kv.delete(sessionKey(conversation.id))
    expect(await texts()).toEqual(['one'])
    expect(await texts()).toEqual(['one'])
    expect(reads).toEqual(['getConversation', 'listMessages'])
  })

  it('keeps only the latest 20 messages', async () => {
    const { say, texts } = await setup()
    for (let i = 0; i < 25; i++) await say(`m${i}`)
    const held = await texts()
    expect(held).toHaveLength(20)
    expect(held?.[0]).toBe('m5')
    expect(held?.at(-1)).toBe('m24')
  })

  it('is dropped by a rename and by a delete, so no session outlives a change', async () => {
    const { history, kv, ownerId, conversation, say } = await setup()
    await say('one')
    await history.renameConversation(ownerId, conversation.id, 'New title')
    expect(await kv.get(sessionKey(conversation.id))).toBeUndefined()
    const renamed = await loadSession({ history, kv }, ownerId, conversation.id)
    expect(renamed?.conversation.title).toBe('New title')
    await history.deleteConversation(ownerId, conversation.id)
    expect(await kv.get(sessionKey(conversation.id))).toBeUndefined()
    expect(await loadSession({ history, kv }, ownerId, conversation.id)).toBeUndefined()
  })

  it('never serves a session to anyone but its owner', async () => {
    const { history, kv, conversation, say } = await setup()
    await say('private')
    const stranger = (await history.upsertUser({ id: 'stranger' })).id
    expect(await loadSession({ history, kv }, stranger, conversation.id)).toBeUndefined()
  })

  it('falls back to history when the KV store fails', async () => {
    const { history, ownerId, conversation, say } = await setup()
    await say('one')
    const broken = new Proxy({} as KvStore, {
      get: () => () => Promise.reject(new Error('kv down')),
    })
    const session = await loadSession({ history, kv: broken }, ownerId, conversation.id)
    expect(session?.messages.map((m) => m.content[0]?.text)).toEqual(['one'])
  })

  it('is bypassed where sessions are off (a process-local KV before a shared database)', async () => {
    const { history, kv, reads, ownerId, conversation, say } = await setup()
    await say('one')
    await kv.delete(sessionKey(conversation.id))
    const off = { history, kv, sessions: false }
    await loadSession(off, ownerId, conversation.id)
    await loadSession(off, ownerId, conversation.id)
    expect(reads).toEqual(['getConversation', 'listMessages', 'getConversation', 'listMessages'])
    expect(await kv.get(sessionKey(conversation.id))).toBeUndefined()
  })
})
