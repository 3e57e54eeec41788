// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import {
  createOutpostMcpServer,
  type OutpostMcpServerDeps,
} from '../../core/mcp/outpost-mcp-server.ts'

/**
 * Answers one MCP request with a server and a transport of its own (stateless: nothing is kept
 * once the JSON response is returned). `parsedBody` is the request's JSON, already read by the
 * body guard. `mcp-routes.ts` loads this module with the first MCP request: the SDK's server
 * (its protocol schemas and validator) is about 0.15 s of a start on Bun, which a deployment
 * that never serves MCP should not pay.
 */
export async function answerMcpRequest(
  deps: OutpostMcpServerDeps,
  request: Request,
  parsedBody: unknown,
  defer: (promise: Promise<unknown>) => void,
): Promise<Response> {
  const server = createOutpostMcpServer(deps)
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  })
  await server.connect(transport)
  try {
    return await transport.handleRequest(request, parsedBody === undefined ? {} : { parsedBody })
  } finally {
    // JSON responses are complete once returned: nothing of this request stays behind.
    defer(server.close())
  }
}
