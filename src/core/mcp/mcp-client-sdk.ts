// The parts of the MCP SDK that a connection to a remote server uses, in one module that
// `mcp-tool-source.ts` loads when it first connects: the SDK's protocol schemas are about a
// tenth of a second of every start, which a deployment with no MCP_SERVERS never needs.
import { Client } from '@modelcontextprotocol/sdk/client'
// Deno type-checks with the package's `types` condition, whose `./*` pattern maps `x.js` to a
// missing `x.js.d.ts`; `@ts-types` names the declaration file meant (here and in the others).
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
// @ts-types="@modelcontextprotocol/sdk/types"
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js'
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker'

export {
  CfWorkerJsonSchemaValidator,
  Client,
  StreamableHTTPClientTransport,
  ToolListChangedNotificationSchema,
}
