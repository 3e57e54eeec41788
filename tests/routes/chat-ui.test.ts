import { describe, expect, it } from 'vitest'
import { vendorScriptPath } from '../../src/views/vendor-script.ts'
import { browser, frames, runPath, setup, startChat } from '../support/chat-browser.ts'

describe('without JavaScript', () => {
  it('posts, redirects to the run page, and streams the answer there as HTML', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const { location, conversationId } = await startChat(guest, 'What time is it?')
    const page = await guest.send(location)
    expect(page.status).toBe(200)
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/)
    const html = await page.text()
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('What time is it?')
    expect(html).toContain('class="message assistant answer-live" aria-live="polite"')
    expect(html).toContain('class="message assistant final"')
    expect(html).toContain('class="tool-card"')
    expect(html).toContain('(demo model)')
    // Ends with the composer, after the answer.
    expect(html.indexOf('id="composer"')).toBeGreaterThan(html.indexOf('assistant final'))
    // Reloading after the end shows it once (from the log), not twice.
    const conversation = await (await guest.send(`/c/${conversationId}`)).text()
    expect(conversation.match(/class="message assistant final"/g)).toHaveLength(1)
    const reload = await (await guest.send(location)).text()
    expect(reload.match(/class="message assistant final"/g)).toHaveLength(1)
  })

  it("shows a stored answer's model and the router's reason on the conversation page", async () => {
    const { request } = setup()
    const guest = await browser(request)
    const { location, conversationId } = await startChat(guest, 'Write a TypeScript function')
    await (await guest.send(location)).text()
    const page = await (await guest.send(`/c/${conversationId}`)).text()
    const badge = page.slice(
      page.indexOf('class="badge"'),
      page.indexOf('</div>', page.indexOf('class="badge"')),
    )
    // Briefly: tier and model; the router's reason on demand (a tooltip and a disclosure).
    expect(badge).toMatch(/class="badge-model">code · demo:demo</)
    expect(badge).toMatch(/title="[^"]*code[^"]*"/)
    expect(badge).toMatch(/<details class="badge-why">.*class="badge-reason">[^<]*code/)
  })

  it('renames and deletes a conversation', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const { conversationId } = await startChat(guest)
    const renamed = await guest.post(`/c/${conversationId}/rename`, { title: 'Renamed <b>' })
    expect(renamed.status).toBe(303)
    expect(renamed.headers.get('Location')).toBe(`/c/${conversationId}`)
    const page = await (await guest.send(`/c/${conversationId}`)).text()
    expect(page).toContain('<h1 id="conversation-title">Renamed &lt;b&gt;</h1>')
    expect(await (await guest.send('/')).text()).toContain('Renamed &lt;b&gt;')
    const deleted = await guest.post(`/c/${conversationId}/delete`, {})
    expect(deleted.status).toBe(303)
    expect(deleted.headers.get('Location')).toBe('/')
    expect((await guest.send(`/c/${conversationId}`)).status).toBe(404)
  })

  it('regenerates the last answer in a new run', async () => {
    const { request, background } = setup()
    const guest = await browser(request)
    const first = await startChat(guest)
    await (await guest.send(first.location)).text()
    await background.drain(1000)
    const again = await guest.post(`/c/${first.conversationId}/regenerate`, {})
    expect(again.status).toBe(303)
    const [, , runId] = runPath.exec(again.headers.get('Location') ?? '') ?? []
    expect(runId).toBeTruthy()
    expect(runId).not.toBe(first.runId)
    const html = await (await guest.send(again.headers.get('Location') ?? '')).text()
    // The question is not stored again; the first answer stays, the new one streams after it.
    expect(html.match(/class="message user"/g)).toHaveLength(1)
    expect(html.match(/class="message assistant final"/g)).toHaveLength(2)
  })

  it('stops a running answer', async () => {
    const { request } = setup({ DEMO_WORD_DELAY_MS: '40' })
    const guest = await browser(request)
    const { conversationId, runId, location } = await startChat(guest, 'Tell me a long story')
    const stopped = await guest.post(`/c/${conversationId}/runs/${runId}/cancel`, {})
    expect(stopped.status).toBe(303)
    expect(stopped.headers.get('Location')).toBe(location)
    const html = await (await guest.send(location)).text()
    expect(html).toContain('data-status="cancelled"')
  })

  it('lists conversations newest first, paginated', async () => {
    const { request } = setup()
    const guest = await browser(request)
    for (let i = 0; i < 21; i++) await startChat(guest, `chat number ${i}`)
    const page = await (await guest.send('/')).text()
    // The main list (the sidebar beside it shows the 30 most recent).
    const home = page.slice(page.indexOf('<main'))
    expect(home.indexOf('chat number 20')).toBeLessThan(home.indexOf('chat number 19'))
    expect(home).not.toContain('>chat number 0<')
    const next = /href="(\/\?cursor=[^"]+)"/.exec(home)?.[1]?.replace(/&amp;/g, '&') ?? ''
    expect(next).toBeTruthy()
    expect(await (await guest.send(next)).text()).toContain('>chat number 0<')
  })
})

describe('with htmx', () => {
  it('answers a send with one event-stream frame and pushes the conversation URL', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const { conversationId } = await startChat(guest)
    const response = await guest.post(
      `/c/${conversationId}/messages`,
      { content: 'Second <question>' },
      { 'HX-Request': 'true' },
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/)
    expect(response.headers.get('HX-Push-Url')).toBe(`/c/${conversationId}`)
    const [frame, ...rest] = frames(await response.text())
    expect(rest).toEqual([])
    expect(frame?.data).toContain('Second &lt;question&gt;')
    expect(frame?.data).toContain('hx-sse:connect="/c/')
    expect(frame?.data).toContain('aria-live="polite"')
    expect(frame?.data).toContain('id="composer" class="composer"')
  })

  it('streams a run as HTML fragments with id = seq, and resumes after Last-Event-ID', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const { location } = await startChat(guest, 'Tell me about the weather')
    const whole = frames(await (await guest.send(`${location}/events`)).text())
    expect(whole.map((f) => f.id)).toEqual(whole.map((_, i) => i + 1))
    expect(whole.at(-1)?.data).toMatch(
      /^<article class="message assistant final"[^>]*hx-swap-oob="true"/,
    )
    const text = (list: typeof whole) =>
      list
        .map((f) => /<(?:span|div class="step"[^>]*)[^>]*>([^<]*)</.exec(f.data)?.[1] ?? '')
        .join('')
    const cut = Math.floor(whole.length / 2)
    const resumed = await guest.send(`${location}/events`, {
      headers: { 'Last-Event-ID': String(cut) },
    })
    const rest = frames(await resumed.text())
    expect(rest[0]?.id).toBe(cut + 1)
    expect([...whole.slice(0, cut), ...rest]).toEqual(whole)
    expect(text(whole).length).toBeGreaterThan(10)
    // A new step's first text creates the step; later text is appended to it.
    const deltas = whole.filter((f) => f.data.includes('beforeend:#run-'))
    expect(deltas.length).toBeGreaterThan(2)
  })

  it('renames in place with a header fragment', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const { conversationId } = await startChat(guest)
    const response = await guest.post(
      `/c/${conversationId}/rename`,
      { title: 'Fresh title' },
      { 'HX-Request': 'true' },
    )
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toMatch(/^<header class="conversation-header" id="conversation-header">/)
    expect(html).toContain('Fresh title')
  })
})

describe('new chat with htmx', () => {
  it('answers with the whole conversation view and pushes its URL', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const response = await guest.post('/c', { content: 'Fresh start' }, { 'HX-Request': 'true' })
    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/)
    const push = response.headers.get('HX-Push-Url') ?? ''
    expect(push).toMatch(/^\/c\/[^/]+$/)
    const [frame] = frames(await response.text())
    expect(frame?.data).toContain('<h1 id="conversation-title">Fresh start</h1>')
    expect(frame?.data).toContain('id="messages"')
    expect(frame?.data).toContain(`hx-sse:connect="${push}/runs/`)
    expect(frame?.data).toContain(`action="${push}/messages"`)
  })
})

describe('delete with htmx', () => {
  it('answers 204 with HX-Redirect home', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const { conversationId } = await startChat(guest)
    const response = await guest.post(`/c/${conversationId}/delete`, {}, { 'HX-Request': 'true' })
    expect(response.status).toBe(204)
    expect(response.headers.get('HX-Redirect')).toBe('/')
    expect((await guest.send(`/c/${conversationId}`)).status).toBe(404)
  })
})
describe('page weight', () => {
  it('keeps the conversation page (HTML and every file it loads) under 60 KB compressed', async () => {
    const { readFileSync } = await import('node:fs')
    const { gzipSync } = await import('node:zlib')
    const { request, background } = setup()
    const guest = await browser(request)
    const { conversationId, location } = await startChat(guest, 'What is 12 * (3 + 4)?')
    await (await guest.send(location)).text()
    await background.drain(1000)
    await guest.post(`/c/${conversationId}/messages`, { content: 'And what time is it?' })
    await background.drain(1000)
    const html = await (await guest.send(`/c/${conversationId}`)).text()
    // Whatever the page references from public/: stylesheet, icon, htmx, our script.
    const assets = [...html.matchAll(/<(?:link|script)\b[^>]*\b(?:href|src)="(\/[^"]+)"/g)].map(
      (m) => m[1] ?? '',
    )
    expect(assets).toEqual(
      expect.arrayContaining(['/styles.css', '/favicon.svg', vendorScriptPath, '/chat.js']),
    )
    const files = assets.map((path) => readFileSync(`public${path}`))
    const sizes = [Buffer.from(html), ...files].map((body) => gzipSync(body, { level: 9 }).length)
    const total = sizes.reduce((sum, size) => sum + size, 0)
    console.log(
      `conversation page gzip bytes: html + ${assets.join(' + ')} = ${sizes.join(' + ')} = ${total}`,
    )
    expect(total).toBeLessThan(60 * 1024)
  })
})
