import { describe, expect, it } from 'vitest'
import { createOutboundPolicy, policedFetch } from '../../../src/core/outbound/outbound-policy.ts'

const refused = (policy: ReturnType<typeof createOutboundPolicy>, url: string) => {
  try {
    policy.check(url)
    return false
  } catch (error) {
    return (error as { code?: string }).code === 'outbound_refused'
  }
}

describe('outbound policy', () => {
  const strict = createOutboundPolicy()
  it('refuses private, loopback, link-local and special addresses, in every spelling', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://localhost:8080/',
      'http://api.localhost/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://[::1]/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'file:///etc/passwd',
    ]) {
      expect(refused(strict, url), url).toBe(true)
    }
  })

  it('allows public addresses and DNS names (not resolved)', () => {
    for (const url of [
      'https://93.184.215.14/',
      'https://[2606:4700::1111]/',
      'https://example.org/',
    ]) {
      expect(refused(strict, url), url).toBe(false)
    }
  })

  it('allows what the setting lists: hosts, IP literals, CIDR ranges', () => {
    const policy = createOutboundPolicy(['127.0.0.1', 'localhost', '10.0.0.0/8', '::1'])
    for (const url of [
      'http://127.0.0.1:3000/',
      'http://localhost/',
      'http://10.9.9.9/',
      'http://[::1]/',
    ]) {
      expect(refused(policy, url), url).toBe(false)
    }
    expect(refused(policy, 'http://192.168.0.1/')).toBe(true)
  })

  it('a policed fetch refuses before any request is made', async () => {
    let calls = 0
    const fetcher = policedFetch(strict, async () => {
      calls += 1
      return new Response('')
    })
    await expect(fetcher('http://127.0.0.1/')).rejects.toMatchObject({ code: 'outbound_refused' })
    expect(calls).toBe(0)
  })
})
