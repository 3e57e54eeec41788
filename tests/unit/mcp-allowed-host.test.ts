import { describe, expect, it } from 'vitest'
import { isAllowedHost } from '../../src/core/mcp/allowed-host.ts'

describe('isAllowedHost (DNS rebinding protection of /mcp)', () => {
  it('allows loopback hosts on any port, with or without a matching Origin', () => {
    for (const host of ['localhost', 'localhost:8787', '127.0.0.1:3000', '[::1]:9', 'LOCALHOST']) {
      expect(isAllowedHost(host, undefined), host).toBe(true)
      expect(isAllowedHost(host, 'http://localhost:5173'), host).toBe(true)
    }
  })

  it('refuses other hosts, foreign or opaque origins, and anything that is not a bare authority', () => {
    expect(isAllowedHost('evil.example.com', undefined)).toBe(false)
    expect(isAllowedHost('localhost', 'http://evil.example.com')).toBe(false)
    expect(isAllowedHost('localhost', 'null')).toBe(false)
    expect(isAllowedHost(undefined, undefined)).toBe(false)
    expect(isAllowedHost('evil.example/@localhost', undefined)).toBe(false)
    expect(isAllowedHost('localhost.evil.example', undefined)).toBe(false)
  })

  it('allows the configured hosts, port-agnostic, and everything with *', () => {
    const allowed = ['outpost.example.com']
    expect(isAllowedHost('outpost.example.com:443', 'https://outpost.example.com', allowed)).toBe(
      true,
    )
    expect(isAllowedHost('other.example.com', undefined, allowed)).toBe(false)
    expect(isAllowedHost('anything.example', 'https://else.example', ['*'])).toBe(true)
  })
})
