import { describe, expect, it } from 'vitest'
import { storeFact } from '../../src/core/facts/store-fact.ts'
import { createApiApp } from '../support/api-app.ts'
import { browser, setup, startChat } from '../support/chat-browser.ts'

/** The memory page's entries: [id, text]. */
function entries(html: string): [string, string][] {
  return [
    ...html.matchAll(/data-memory-id="([^"]+)"><span class="memory-text">([^<]*)<\/span>/g),
  ].map((m) => [m[1] ?? '', (m[2] ?? '').replace(/&#39;/g, "'")])
}

describe('/memory without JavaScript', () => {
  it('lists what was taken from your messages, with links, and searches and deletes', async () => {
    const { request, background } = setup()
    const ann = await browser(request)
    const chat = await startChat(ann, 'My cat is called Miso. I live in Lisbon. What is 2+2?')
    await (await ann.send(chat.location)).text()
    // The demo model answers the background extraction too, by rule.
    await background.drain(5000)

    const page = await (await ann.send('/memory')).text()
    expect(entries(page).map(([, text]) => text)).toEqual(
      expect.arrayContaining(["The user's cat is called Miso", 'The user lives in Lisbon']),
    )
    expect(entries(page)).toHaveLength(2)
    expect(page).toContain(`href="/c/${chat.conversationId}#m-`)

    const searched = await (await ann.send('/memory?q=lisbon')).text()
    expect(entries(searched).map(([, text]) => text)).toEqual(['The user lives in Lisbon'])

    // A later conversation recalls it, and the stored answer shows what and where from.
    const later = await startChat(ann, 'What is my cat called?')
    await (await ann.send(later.location)).text()
    await background.drain(5000)
    const conversation = await (await ann.send(`/c/${later.conversationId}`)).text()
    expect(conversation).toContain('class="recalled-memories"')
    expect(conversation).toContain(`href="/c/${chat.conversationId}#m-`)

    // Another visitor sees nothing of it and cannot delete it.
    const bob = await browser(request)
    expect(entries(await (await bob.send('/memory')).text())).toEqual([])
    const catId = entries(page).find(([, text]) => text.includes('cat'))?.[0] ?? ''
    expect((await bob.post(`/memory/forget/${encodeURIComponent(catId)}`, {})).status).toBe(404)

    // Forms need their CSRF token.
    const forged = await ann.send(`/memory/forget/${encodeURIComponent(catId)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
      body: '',
    })
    expect(forged.status).toBe(403)

    const deleted = await ann.post(`/memory/forget/${encodeURIComponent(catId)}`, {})
    expect(deleted.status).toBe(303)
    expect(deleted.headers.get('Location')).toBe('/memory?done=one')
    expect(entries(await (await ann.send('/memory')).text()).map(([, t]) => t)).toEqual([
      'The user lives in Lisbon',
    ])

    // Deleting the conversation deletes what was taken from it.
    expect((await ann.post(`/c/${chat.conversationId}/delete`, {})).status).toBe(303)
    const after = await (await ann.send('/memory')).text()
    expect(entries(after)).toEqual([])
    expect(after).toContain('Outpost remembers nothing about you yet.')
  })

  it('deletes everything at once', async () => {
    const { request, background } = setup()
    const ann = await browser(request)
    const chat = await startChat(ann, 'I love jazz. My dog is called Rex.')
    await (await ann.send(chat.location)).text()
    await background.drain(5000)
    expect(entries(await (await ann.send('/memory')).text())).toHaveLength(2)
    const all = await ann.post('/memory/delete-all', {})
    expect(all.headers.get('Location')).toBe('/memory?done=all')
    const page = await (await ann.send('/memory?done=all')).text()
    expect(entries(page)).toEqual([])
    expect(page).toContain('Deleted everything Outpost remembered about you.')
  })
})

describe('/api/memories', () => {
  it('lists, searches and deletes the calling key owner’s memories only', async () => {
    const api = await createApiApp()
    const [alice, bob] = [await api.user('alice'), await api.user('bob')]
    const semantic = api.services.memory.semantic
    const remember = (ownerId: string, text: string) =>
      storeFact(
        { semantic },
        { ownerId, text, conversationId: 'c-1', messageId: 'm-1', at: Date.UTC(2026, 10, 1) },
      )
    await remember(alice.userId, "The user's cat is called Miso")
    await remember(alice.userId, 'The user lives in Lisbon')
    await remember(bob.userId, 'The user lives in Porto')
    const call = (path: string, secret: string | undefined, method = 'GET') =>
      api.fetch(`http://localhost${path}`, {
        method,
        headers: secret ? { Authorization: `Bearer ${secret}` } : {},
      })

    expect((await call('/api/memories', undefined)).status).toBe(401)
    const listed = (await (await call('/api/memories', alice.secret)).json()) as {
      data: { id: string; text: string; conversation_id: string; message_id: string }[]
    }
    expect(listed.data.map((m) => m.text)).toEqual(
      expect.arrayContaining(["The user's cat is called Miso", 'The user lives in Lisbon']),
    )
    expect(listed.data).toHaveLength(2)
    expect(listed.data[0]).toMatchObject({
      conversation_id: 'c-1',
      message_id: 'm-1',
      kind: 'fact',
      created_at: '2026-11-01T00:00:00.000Z',
    })
    const searched = (await (await call('/api/memories?q=cat', alice.secret)).json()) as {
      data: { text: string }[]
    }
    expect(searched.data.map((m) => m.text)).toEqual(["The user's cat is called Miso"])

    const bobs = (await (await call('/api/memories', bob.secret)).json()) as {
      data: { id: string }[]
    }
    const bobId = encodeURIComponent(bobs.data[0]?.id ?? '')
    expect((await call(`/api/memories/${bobId}`, alice.secret, 'DELETE')).status).toBe(404)
    const aliceId = encodeURIComponent(listed.data[0]?.id ?? '')
    expect((await call(`/api/memories/${aliceId}`, alice.secret, 'DELETE')).status).toBe(204)
    expect((await call(`/api/memories/${aliceId}`, alice.secret, 'DELETE')).status).toBe(404)
    const all = await call('/api/memories', alice.secret, 'DELETE')
    expect(await all.json()).toEqual({ deleted: 1 })
    expect(
      ((await (await call('/api/memories', bob.secret)).json()) as { data: [] }).data,
    ).toHaveLength(1)
  })
})

describe('MEMORY_TTL_DAYS', () => {
  it('lists no memory past the TTL, purges it from the store, and says how long they are kept', async () => {
    const api = await createApiApp({ MEMORY_TTL_DAYS: '30' })
    const alice = await api.user('alice')
    const semantic = api.services.memory.semantic
    const day = 86_400_000
    const remember = (text: string, at: number) =>
      storeFact(
        { semantic },
        { ownerId: alice.userId, text, conversationId: 'c-1', messageId: 'm-1', at },
      )
    await remember("The user's cat is called Miso", Date.now() - 31 * day)
    await remember('The user lives in Lisbon', Date.now() - 29 * day)
    const listed = (await (
      await api.fetch('http://localhost/api/memories', {
        headers: { Authorization: `Bearer ${alice.secret}` },
      })
    ).json()) as { data: { text: string }[] }
    expect(listed.data.map((m) => m.text)).toEqual(['The user lives in Lisbon'])
    await api.background.drain(5000)
    const stored = await semantic.list({ owner: alice.userId })
    expect(stored.map((m) => m.metadata.text)).toEqual(['The user lives in Lisbon'])

    const { request } = setup({ MEMORY_TTL_DAYS: '30' })
    const page = await (await (await browser(request)).send('/memory')).text()
    expect(page).toContain('Each memory is kept for 30 days')
    const unset = await (await (await browser(setup().request)).send('/memory')).text()
    expect(unset).not.toContain('Each memory is kept for')
  })
})
