import * as z from 'zod'
import { mcpServersSetting } from './mcp/mcp-server-config.ts'
import { def, httpUrl, integer } from './setting-definition.ts'

const hostList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(/^(?:[a-zA-Z0-9.:-]+|\[[0-9a-fA-F:.]+\])(?:\/\d{1,3})?$/)
        .max(255),
    ),
  )

/** The settings of remote tools: MCP servers, outbound addresses, web search. */
export const toolSettings = {
  MCP_SERVERS: def({
    schema: mcpServersSetting,
    expects:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: documents the ${VAR} syntax
      'a JSON array of {name, url, headers?, allowedTools?, timeoutMs?}; header values may use ${VAR}',
    description:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: documents the ${VAR} syntax
      'Remote MCP servers whose tools the agent may use, named `server__tool`; `${VAR}` in a header value is replaced by that variable.',
    secret: true,
  }),
  MCP_TOOLS_TTL_SECONDS: def({
    schema: integer(10, 86_400),
    default: 300,
    expects: 'an integer number of seconds from 10 to 86400',
    description:
      "How long a remote server's tool list is cached in the KV store (refreshed sooner on `notifications/tools/list_changed`).",
  }),
  OUTBOUND_ALLOWED_HOSTS: def({
    schema: hostList,
    default: [],
    defaultText: '',
    expects: 'hostnames, IP addresses or CIDR ranges separated by commas',
    description:
      'Private, loopback or link-local destinations MCP servers and web search may reach anyway (IP literals are checked; DNS names are not resolved).',
  }),
  WEB_SEARCH_URL: def({
    schema: httpUrl,
    expects: 'an http(s) URL of a SearXNG instance or https://api.search.brave.com',
    description:
      'Turns on the `web_search` tool over this search API (SearXNG `/search?format=json`, or Brave with WEB_SEARCH_API=brave).',
  }),
  WEB_SEARCH_API: def({
    schema: z.enum(['searxng', 'brave']),
    default: 'searxng',
    expects: 'one of searxng, brave',
    description: 'The wire shape of WEB_SEARCH_URL.',
  }),
  WEB_SEARCH_API_KEY: def({
    schema: z.string().min(1),
    expects: 'the API key of the search service',
    description: 'Sent as `X-Subscription-Token` (Brave); SearXNG needs none.',
    secret: true,
  }),
}
