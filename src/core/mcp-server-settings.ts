import * as z from 'zod'
import { def } from './setting-definition.ts'

// A host name (port-agnostic), a bracketed IPv6 address, or `*` for any host.
const hostEntry = /^(\*|\[[\da-f:.]{2,45}\]|[a-z\d](?:[a-z\d.-]{0,251}[a-z\d])?)$/

const hostList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter((entry) => entry !== ''),
  )
  .refine((hosts) => hosts.length > 0 && hosts.every((host) => hostEntry.test(host)))

/** The settings of the MCP server at `/mcp`. */
export const mcpServerSettings = {
  MCP_ALLOWED_HOSTS: def({
    schema: hostList,
    expects: 'a comma-separated list of host names (no ports), or *',
    description:
      'Host names `/mcp` answers to besides loopback (localhost, 127.0.0.1, [::1]); other `Host` or `Origin` headers get 403 (DNS rebinding protection). Set it to the public host of a deployment; `*` turns the check off.',
  }),
}
