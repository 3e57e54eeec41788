import { describe, expect, it } from 'vitest'
import { createApiApp } from '../support/api-app.ts'

describe('security headers', () => {
  it('give pages the document set: own scripts, styles and connections only, no framing', async () => {
    const app = await createApiApp()
    const response = await app.fetch('/', { headers: { Accept: 'text/html' } })
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    await response.text()
  })

  it("give JSON and event streams OWASP's API set: nothing runs or frames, nothing more", async () => {
    const app = await createApiApp()
    const { secret } = await app.user()
    const json = await app.fetch('/api/conversations', {
      headers: { Authorization: `Bearer ${secret}` },
    })
    const stream = await app.fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        model: 'auto',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
    })
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    for (const response of [json, stream]) {
      expect(response.status).toBe(200)
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      )
      expect(response.headers.get('x-frame-options')).toBe('DENY')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin')
      expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=/)
      expect(response.headers.get('referrer-policy')).toBeNull()
      expect(response.headers.get('x-xss-protection')).toBeNull()
      await response.text()
    }
  })
})
