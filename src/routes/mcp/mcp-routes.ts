import { Hono } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { isAllowedHost } from '../../core/mcp/allowed-host.ts'
import { gateDeps } from '../../core/request-deps.ts'
import { apiKeyAuth } from '../../middleware/api-key-auth.ts'
import { mcpUrl } from '../../urls.ts'
import { requestContext } from '../http/request-context.ts'

const jsonMediaType = /^application\/([\w.-]{1,64}\+)?json$/i

/** A JSON-RPC error as the transport answers it: HTTP status, no request id. */
function jsonRpcError(status: number, code: number, message: string, headers?: HeadersInit) {
  return Response.json(
    { jsonrpc: '2.0', error: { code, message }, id: null },
    { status, ...(headers ? { headers } : {}) },
  )
}

/**
 * `/mcp`: Outpost as an MCP server over Streamable HTTP, stateless (a new server and transport
 * per request, on the SDK's web-standard transport, so it runs the same on every runtime).
 * Requests must name an allowed host (DNS rebinding protection) and carry an API key; the
 * server acts for the key's owner. Only POST carries messages: a stateless server has nothing
 * to push on a GET stream and no session to DELETE.
 */
export const mcpRoutes = new Hono<AppEnv>()

mcpRoutes.use(mcpUrl, async function allowedHostsOnly(c, next) {
  const allowed = c.var.services.config.MCP_ALLOWED_HOSTS
  // Every runtime builds the request's URL from its Host header; in-process requests have only the URL.
  const host = c.req.header('Host') ?? new URL(c.req.url).host
  if (!isAllowedHost(host, c.req.header('Origin'), allowed)) {
    return jsonRpcError(403, -32000, 'Forbidden: this host is not allowed (MCP_ALLOWED_HOSTS)')
  }
  return next()
})
mcpRoutes.use(mcpUrl, apiKeyAuth())

mcpRoutes.on(['GET', 'DELETE'], mcpUrl, () =>
  jsonRpcError(405, -32000, 'Method not allowed: this server is stateless; POST messages', {
    Allow: 'POST',
  }),
)

mcpRoutes.post(mcpUrl, async (c) => {
  const services = c.var.services
  // The body guard has already parsed a JSON body (the raw stream is spent): hand the
  // transport that value, or a parse error of its own shape when the body is not JSON.
  let parsedBody: unknown
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim() ?? ''
  if (jsonMediaType.test(mediaType)) {
    try {
      parsedBody = await c.req.json()
    } catch {
      return jsonRpcError(400, -32700, 'Parse error: the body is not JSON')
    }
  }
  // Loaded with the first MCP request, not at start (see `answerMcpRequest`).
  const { answerMcpRequest } = await import('./mcp-exchange.ts')
  return answerMcpRequest(
    { tools: services.tools, gate: gateDeps(services), context: requestContext(c, 'mcp') },
    c.req.raw,
    parsedBody,
    services.defer,
  )
})
