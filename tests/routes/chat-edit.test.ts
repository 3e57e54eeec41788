import { describe, expect, it } from 'vitest'
import { browser, runPath, setup, startChat } from '../support/chat-browser.ts'

const hx = { 'HX-Request': 'true' }

/** The last user message's id, from the conversation page. */
async function lastUserMessageId(guest: Awaited<ReturnType<typeof browser>>, id: string) {
  const html = await (await guest.send(`/c/${id}/edit`)).text()
  return /name="message_id" value="([^"]+)"/.exec(html)?.[1] ?? ''
}

describe('edit-and-resend in the chat UI', () => {
  it('without JavaScript: a page with the form, whose POST lands on the run page', async () => {
    const { request, background } = setup()
    const guest = await browser(request)
    const { conversationId, location } = await startChat(guest, 'The original question')
    await (await guest.send(location)).text()
    await background.drain(1000)
    const page = await (await guest.send(`/c/${conversationId}`)).text()
    expect(page).toContain(`href="/c/${conversationId}/edit"`)

    const form = await (await guest.send(`/c/${conversationId}/edit`)).text()
    expect(form).toMatch(/<label for="edit-input">Edit your message<\/label>/)
    expect(form).toMatch(/<textarea id="edit-input"[^>]*autofocus[^>]*>The original question</)
    // Empty text: the same 400 as a send, and nothing changes.
    const messageId = await lastUserMessageId(guest, conversationId)
    const empty = await guest.post(`/c/${conversationId}/edit`, {
      message_id: messageId,
      content: '  ',
    })
    expect(empty.status).toBe(400)

    const sent = await guest.post(`/c/${conversationId}/edit`, {
      message_id: messageId,
      content: 'The edited question',
    })
    expect(sent.status).toBe(303)
    const run = sent.headers.get('Location') ?? ''
    expect(run).toMatch(runPath)
    expect(await (await guest.send(run)).text()).toContain('class="message assistant final"')
    await background.drain(1000)
    // The title keeps the first words; the messages have only the edited question.
    const page2 = await (await guest.send(`/c/${conversationId}`)).text()
    const after = page2.slice(page2.indexOf('id="messages"'))
    expect(after).toContain('The edited question')
    expect(after).not.toContain('The original question')
    expect(after.match(/class="message assistant final"/g)).toHaveLength(1)
    // The form was for a message that is gone now: refused, not applied twice.
    const stale = await guest.post(`/c/${conversationId}/edit`, {
      message_id: messageId,
      content: 'Again',
    })
    expect(stale.status).toBe(404)
  })

  it('with htmx: the form in place, Cancel gives the message back, the POST the new list', async () => {
    const { request, background } = setup()
    const guest = await browser(request)
    const { conversationId, location } = await startChat(guest, 'Keep me?')
    await (await guest.send(location)).text()
    await background.drain(1000)
    const fragment = await (await guest.send(`/c/${conversationId}/edit`, { headers: hx })).text()
    expect(fragment).toMatch(/^<form class="message user edit-form"/)
    expect(fragment).toContain('>Keep me?</textarea>')
    const cancel = await (
      await guest.send(`/c/${conversationId}/edit/cancel`, { headers: hx })
    ).text()
    expect(cancel).toMatch(/^<article class="message user"/)
    expect(cancel).toMatch(/class="message-edit"[^>]*autofocus/)

    const messageId = /name="message_id" value="([^"]+)"/.exec(fragment)?.[1] ?? ''
    const sent = await guest.post(
      `/c/${conversationId}/edit`,
      { message_id: messageId, content: 'Replaced' },
      hx,
    )
    expect(sent.status).toBe(200)
    const body = await sent.text()
    expect(body).toContain('Replaced')
    expect(body).not.toContain('Keep me?')
    expect(body).toContain('aria-busy="true"')
    await background.drain(2000)
  })

  it('refuses while an answer streams (409 fragment), and to anyone but the owner (404)', async () => {
    const { request, background } = setup({ DEMO_WORD_DELAY_MS: '40' })
    const guest = await browser(request)
    const stranger = await browser(request)
    const { conversationId } = await startChat(guest, 'Tell me a long story')
    const busy = await guest.send(`/c/${conversationId}/edit`, { headers: hx })
    expect(busy.status).toBe(409)
    expect(await busy.text()).toContain('data-error-code="answer_streaming"')
    const page = await guest.send(`/c/${conversationId}/edit`)
    expect(page.status).toBe(409)
    const html = await page.text()
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('<title>Error 409 · Outpost</title>')
    expect((await stranger.send(`/c/${conversationId}/edit`)).status).toBe(404)
    await background.drain(10_000)
  })
})
