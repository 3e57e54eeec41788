import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { createServices } from '../../src/core/services.ts'
import { browser, origin, secret, setup, startChat } from '../support/chat-browser.ts'

describe('guest identity', () => {
  it('gives a new visitor a signed HttpOnly SameSite=Lax cookie and a CSRF token', async () => {
    const { request } = setup()
    const guest = await browser(request)
    expect(guest.home.status).toBe(200)
    expect(guest.setCookie).toMatch(/^outpost_guest=[^;]+\.[^;]+;/)
    expect(guest.setCookie).toMatch(/HttpOnly/)
    expect(guest.setCookie).toMatch(/SameSite=Lax/)
    expect(guest.setCookie).not.toMatch(/Secure/)
    expect(guest.token.length).toBeGreaterThan(20)
    // A returning visitor keeps the same identity (no new cookie, same token).
    const again = await guest.send('/')
    expect(again.headers.get('Set-Cookie')).toBeNull()
    expect(await again.text()).toContain(guest.token)
  })

  it('marks the cookie Secure on https, and ignores a forged cookie', async () => {
    const { app } = setup()
    const env = { LOG_LEVEL: 'error', SESSION_SECRET: secret }
    const secure = await app.request('https://example.com/', {}, env)
    expect(secure.headers.get('Set-Cookie')).toMatch(/Secure/)
    const forged = await app.request(
      'http://localhost/',
      { headers: { Cookie: 'outpost_guest=someone-else.bad-signature' } },
      env,
    )
    expect(forged.headers.get('Set-Cookie')).toMatch(/^outpost_guest=/)
  })

  it('announces sessions that will not survive when no secret can be kept', async () => {
    const { request } = setup({ SESSION_SECRET: '' })
    const guest = await browser(request)
    expect(guest.html).toContain('data-notice="ephemeral-session"')
    expect(guest.html).toContain('data-notice="demo-model"')
  })

  it("gives another browser 404 for someone else's conversation, run and events", async () => {
    const { request } = setup()
    const owner = await browser(request)
    const { conversationId, runId, location } = await startChat(owner)
    expect((await owner.send(`/c/${conversationId}`)).status).toBe(200)
    const stranger = await browser(request)
    for (const path of [`/c/${conversationId}`, location, `${location}/events`]) {
      expect((await stranger.send(path)).status).toBe(404)
    }
    for (const path of [
      `/c/${conversationId}/messages`,
      `/c/${conversationId}/rename`,
      `/c/${conversationId}/delete`,
      `/c/${conversationId}/regenerate`,
      `/c/${conversationId}/runs/${runId}/cancel`,
    ]) {
      expect((await stranger.post(path, { content: 'x', title: 'x' })).status).toBe(404)
    }
  })
})

describe('guest identity secrets', () => {
  it("uses the platform's kept secret when SESSION_SECRET is unset (no notice)", async () => {
    let asked = 0
    const app = createApp({
      platform: {
        runtime: 'node',
        hasFileSystem: false,
        sessionSecret: async () => {
          asked++
          return 'kept-on-disk-secret-0123456789abcdef'
        },
      },
      services: createServices,
    })
    const env = { LOG_LEVEL: 'error' }
    const first = await app.request('http://localhost/', { headers: { Accept: 'text/html' } }, env)
    const cookie = (first.headers.get('Set-Cookie') ?? '').split(';')[0] ?? ''
    expect(await first.text()).not.toContain('ephemeral-session')
    // A second app with the same kept secret (a restart) recognises the cookie.
    const restarted = createApp({
      platform: {
        runtime: 'node',
        hasFileSystem: false,
        sessionSecret: async () => 'kept-on-disk-secret-0123456789abcdef',
      },
      services: createServices,
    })
    const again = await restarted.request('http://localhost/', { headers: { Cookie: cookie } }, env)
    expect(again.headers.get('Set-Cookie')).toBeNull()
    expect(asked).toBeGreaterThan(0)
  })
})

describe('CSRF', () => {
  it('refuses a form without the token, with a foreign token, or from another origin', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const other = await browser(request)
    const missing = await guest.send('/c', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      body: 'content=hi',
    })
    expect(missing.status).toBe(403)
    expect(await missing.text()).toContain('csrf_token_invalid')
    const foreign = await guest.post('/c', { content: 'hi', _csrf: other.token })
    expect(foreign.status).toBe(403)
    const crossSite = await guest.post('/c', { content: 'hi' }, { Origin: 'https://evil.example' })
    expect(crossSite.status).toBe(403)
    expect(await crossSite.text()).toContain('csrf_origin_invalid')
    const fragment = await guest.post(
      '/c',
      { content: 'hi', _csrf: 'nope' },
      { 'HX-Request': 'true' },
    )
    expect(fragment.status).toBe(403)
    expect(await fragment.text()).toMatch(/^<div class="error-notice" role="alert"/)
  })

  it('accepts a form without Origin when its Referer is ours, refuses one with neither', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const form = (headers: Record<string, string>) =>
      guest.send('/c', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ _csrf: guest.token, content: 'hi' }).toString(),
      })
    expect((await form({ Referer: `${origin}/c/abc` })).status).toBe(303)
    const neither = await form({})
    expect(neither.status).toBe(403)
    expect(await neither.text()).toContain('csrf_origin_invalid')
    const foreign = await form({ Referer: 'https://evil.example/page' })
    expect(foreign.status).toBe(403)
    expect((await form({ Referer: 'not a url' })).status).toBe(403)
    // A foreign Origin is not rescued by a Referer that looks like ours.
    expect((await form({ Origin: 'https://evil.example', Referer: `${origin}/` })).status).toBe(403)
  })

  it('accepts the token in the X-CSRF-Token header', async () => {
    const { request } = setup()
    const guest = await browser(request)
    const response = await guest.send('/c', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: origin,
        'X-CSRF-Token': guest.token,
      },
      body: 'content=hi',
    })
    expect(response.status).toBe(303)
  })
})
