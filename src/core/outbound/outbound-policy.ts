import ipaddr from 'ipaddr.js'
import { OutboundRefusedError } from './outbound-refused-error.ts'

/**
 * Which URLs Outpost may fetch on a tool's behalf (remote MCP servers, the search API).
 * Public addresses are allowed; private, loopback, link-local and other special ranges are
 * refused unless listed. Only hostnames that are IP literals (and `localhost`) are checked:
 * DNS names are not resolved first, because Workers cannot resolve them (there, Cloudflare's
 * own egress refuses private destinations). List a DNS name to say you trust it anyway.
 */
export interface OutboundPolicy {
  /** Throws `OutboundRefusedError` when `url` may not be fetched. */
  check(url: string | URL): void
}

/**
 * A policy that also allows the `allow` entries: hostnames (`mcp.internal`, `localhost`), IP
 * literals (`127.0.0.1`, `::1`) or CIDR ranges (`10.0.0.0/8`).
 */
export function createOutboundPolicy(allow: readonly string[] = []): OutboundPolicy {
  const hosts = new Set<string>()
  const ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = []
  for (const entry of allow) {
    const value = entry.trim().toLowerCase()
    if (value.includes('/')) ranges.push(ipaddr.parseCIDR(value))
    else hosts.add(stripBrackets(value))
  }
  return {
    check(url) {
      const parsed = typeof url === 'string' ? new URL(url) : url
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new OutboundRefusedError(parsed.protocol, 'only http and https are allowed')
      }
      // WHATWG URL parsing has already normalised IPv4 forms such as 0x7f.1 or 2130706433.
      const host = stripBrackets(parsed.hostname.toLowerCase())
      if (hosts.has(host)) return
      if (host === 'localhost' || host.endsWith('.localhost')) {
        throw new OutboundRefusedError(host, 'loopback host not in OUTBOUND_ALLOWED_HOSTS')
      }
      if (!ipaddr.isValid(host)) return
      // IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
      const address = ipaddr.process(host)
      if (hosts.has(address.toString())) return
      const range = address.range()
      if (range === 'unicast') return
      if (
        ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits))
      )
        return
      throw new OutboundRefusedError(host, `${range} address not in OUTBOUND_ALLOWED_HOSTS`)
    },
  }
}

/** The fetch shape the outbound clients take (the global `fetch` is one). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/**
 * A fetch that checks every URL against `policy` first. Redirects are the caller's to bound:
 * the MCP transport follows same-origin ones only, the search tool none.
 */
export function policedFetch(policy: OutboundPolicy, fetcher: FetchLike = fetch): FetchLike {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : input.toString()
    policy.check(url)
    return fetcher(input, init)
  }
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}
