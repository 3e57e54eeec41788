import { describe, expect, it } from 'vitest'
import { browser, frames, runPath, setup, startChat } from '../support/chat-browser.ts'

async function answered(guest: Awaited<ReturnType<typeof browser>>, content: string) {
  const chat = await startChat(guest, content)
  await (await guest.send(chat.location)).text()
  return chat
}

describe('chat layout', () => {
  it('puts the sidebar (recent conversations, search) and local times on the conversation page', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const older = await answered(guest, 'About penguins')
    const current = await answered(guest, 'About otters')
    const page = await (await guest.send(`/c/${current.conversationId}`)).text()
    expect(page).toContain('<input type="checkbox" id="sidebar-toggle"')
    expect(page).toContain('<nav id="sidebar" class="sidebar" aria-label="Conversations">')
    expect(page).toContain(`href="/c/${current.conversationId}" aria-current="page">About otters`)
    expect(page).toContain(`href="/c/${older.conversationId}">About penguins`)
    expect(page).toMatch(/<form class="search-form" method="get" action="\/search">/)
    // Times say UTC until the script rewrites them in the reader's zone.
    expect(page).toMatch(/<time datetime="[^"]+Z" data-local="">\d{4}-\d\d-\d\d \d\d:\d\d UTC</)
    expect(page).toContain('<script src="/chat.js" defer="">')
  })

  it('hides Regenerate while an answer streams and brings it back with the last frame', async () => {
    const { request } = setup({ DEMO_WORD_DELAY_MS: '30' })
    const guest = await browser(request)
    const { conversationId } = await answered(guest, 'First question')
    const idle = await (await guest.send(`/c/${conversationId}`)).text()
    expect(idle).toContain('Regenerate the last answer')
    // An htmx send empties the slot out of band…
    const sent = await guest.post(
      `/c/${conversationId}/messages`,
      { content: 'Tell me a long story' },
      { 'HX-Request': 'true' },
    )
    const [frame] = frames(await sent.text())
    expect(frame?.data).toMatch(
      /<div id="regenerate" class="regenerate-slot" hx-swap-oob="true"><\/div>/,
    )
    // …the page rendered mid-answer has no button…
    const streaming = await (await guest.send(`/c/${conversationId}`)).text()
    expect(streaming).toContain('aria-busy="true"')
    expect(streaming).not.toContain('Regenerate the last answer')
    // …and the run's last frame puts it back.
    const runId = /data-run-id="([^"]+)"/.exec(frame?.data ?? '')?.[1] ?? ''
    const events = frames(
      await (await guest.send(`/c/${conversationId}/runs/${runId}/events`)).text(),
    )
    const last = events.at(-1)?.data ?? ''
    expect(last).toContain('class="message assistant final"')
    expect(last).toMatch(/id="regenerate"[^>]*hx-swap-oob="true"><form class="regenerate"/)
  })
})

describe('model picker', () => {
  it('offers auto, the tiers and the configured models, and sends the choice to the gate', async () => {
    const { request } = setup()
    const guest = await browser(request)
    expect(guest.html).toContain('<select id="composer-model" name="model">')
    expect(guest.html).toContain('<option value="auto" selected="">Auto</option>')
    expect(guest.html).toContain('<option value="smart">smart</option>')
    expect(guest.html).toContain('<option value="demo:demo">demo:demo</option>')
    // A greeting would route to the fast tier; the picker's choice wins.
    const response = await guest.post('/c', { content: 'Hello there', model: 'smart' })
    const location = response.headers.get('Location') ?? ''
    expect(location).toMatch(runPath)
    const page = await (await guest.send(location)).text()
    expect(page).toMatch(/class="badge-model">smart · demo:demo</)
    const auto = await guest.post('/c', { content: 'Hello there', model: 'auto' })
    const autoPage = await (await guest.send(auto.headers.get('Location') ?? '')).text()
    expect(autoPage).not.toMatch(/class="badge-model">smart ·/)
  })

  it('refuses a model that is neither auto, a tier nor provider:model with a 400', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const response = await guest.post(
      '/c',
      { content: 'Hello', model: 'no such model' },
      { Accept: 'application/json' },
    )
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('model_invalid')
  })
})

describe('search and export', () => {
  it('finds conversations by title and message text, only the searcher’s own', async () => {
    const { request } = setup()
    const alice = await browser(request)
    const bob = await browser(request)
    const penguins = await answered(alice, 'Tell me about penguins')
    await answered(alice, 'Something else entirely')
    await answered(bob, 'Penguins for Bob')
    const page = await (await alice.send('/search?q=PENGUIN')).text()
    const results = page.slice(page.indexOf('<main'))
    expect(results).toContain(`href="/c/${penguins.conversationId}">Tell me about penguins`)
    expect(results).not.toContain('Something else entirely</a>')
    expect(results).not.toContain('Penguins for Bob')
    expect(page).toContain('value="PENGUIN"')
    const none = await (await alice.send('/search?q=zebra%25')).text()
    expect(none).toContain('Nothing matches.')
    const empty = await alice.send('/search')
    expect(empty.status).toBe(200)
  })

  it('exports a conversation as Markdown and JSON downloads, to its owner only', async () => {
    const { request } = setup()
    const alice = await browser(request)
    const bob = await browser(request)
    const { conversationId } = await answered(alice, 'Line one\nline two')
    const page = await (await alice.send(`/c/${conversationId}`)).text()
    expect(page).toContain(`href="/c/${conversationId}/export.md" download=""`)

    const md = await alice.send(`/c/${conversationId}/export.md`)
    expect(md.status).toBe(200)
    expect(md.headers.get('Content-Type')).toMatch(/^text\/markdown/)
    expect(md.headers.get('Content-Disposition')).toMatch(
      new RegExp(`^attachment; filename="Line-one-${conversationId}\\.md"$`),
    )
    const text = await md.text()
    expect(text).toMatch(/^# Line one\n/)
    expect(text).toContain('## You\n\n> Line one\n> line two')
    expect(text).toMatch(/## Assistant \(demo:demo\)\n\n\S/)

    const json = await alice.send(`/c/${conversationId}/export.json`)
    expect(json.status).toBe(200)
    const body = (await json.json()) as {
      conversation: Record<string, unknown>
      messages: { role: string }[]
    }
    expect(body.conversation.id).toBe(conversationId)
    expect(body.conversation).not.toHaveProperty('ownerId')
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant'])

    expect((await bob.send(`/c/${conversationId}/export.md`)).status).toBe(404)
    expect((await bob.send(`/c/${conversationId}/export.json`)).status).toBe(404)
  })
})
