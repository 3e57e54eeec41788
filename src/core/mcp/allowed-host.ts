/** Host names a local server always answers to: a rebinding page cannot make a browser send them. */
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Whether a request's `Host` and `Origin` (when sent) both name a host the MCP server answers
 * to: loopback, or one of `allowed` (host names, port-agnostic; `*` allows any). A page on
 * evil.example whose name was rebound to 127.0.0.1 sends `Host: evil.example`, and is refused.
 */
export function isAllowedHost(
  host: string | undefined,
  origin: string | undefined,
  allowed: readonly string[] = [],
): boolean {
  if (allowed.includes('*')) return true
  const permitted = (name: string | undefined) =>
    name !== undefined && (loopbackHosts.has(name) || allowed.includes(name))
  if (!permitted(hostName(host))) return false
  return origin === undefined || permitted(originHostName(origin))
}

/** The name in a `Host` header, lowercased and without its port; undefined when malformed. */
function hostName(header: string | undefined): string | undefined {
  // Only a bare authority: `evil.example/@localhost` must not parse as localhost.
  if (!header || /[/@?#\\\s]/.test(header.trim())) return undefined
  try {
    return new URL(`http://${header.trim()}`).hostname.toLowerCase()
  } catch {
    return undefined
  }
}

/** The host name of an `Origin` header; `null` (opaque origins) and junk have none. */
function originHostName(header: string): string | undefined {
  try {
    return new URL(header.trim()).hostname.toLowerCase()
  } catch {
    return undefined
  }
}
