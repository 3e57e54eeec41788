import { Server } from '@modelcontextprotocol/sdk/server'
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js'
import { isAppError } from '../errors.ts'
import type { RequestContext } from '../gate/request-context.ts'
import type { GateDeps } from '../gate/start-model-work.ts'
import type { Logger } from '../telemetry/logger.ts'
import type { ToolRegistry } from '../tools/registry.ts'
import { conversationResources, conversationUriTemplate } from './conversation-resources.ts'
import { JsonRpcFailure } from './json-rpc-failure.ts'
import { chatToolDefinition, mcpChat } from './mcp-chat.ts'

/** What the MCP server of one request works with; the caller is `context.principal`. */
export interface OutpostMcpServerDeps {
  /** The built-in tools, offered as they are. */
  tools: ToolRegistry
  /** The gate, for the `chat` tool (and the history behind the resources). */
  gate: GateDeps
  context: RequestContext
}

/** The server's version in `initialize`: the MCP surface's, which changes when its tools do. */
const serverVersion = '1.0.0'

/**
 * Outpost as an MCP server, built per request for its caller (stateless: nothing is kept
 * between requests, so any isolate or process can answer the next one). It offers the
 * built-in tools, `chat` (a turn through the gate), and the caller's conversations as
 * resources. Failures are JSON-RPC errors or `isError` tool results, never thrown past the
 * SDK, so the transport never turns them into HTTP errors.
 */
export function createOutpostMcpServer(deps: OutpostMcpServerDeps): Server {
  const server = new Server(
    { name: 'outpost', title: 'Outpost', version: serverVersion },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        'Outpost is an AI chat agent. Call `chat` to talk to it (continue a conversation with ' +
        'the returned conversation_id); its conversations are resources.',
    },
  )
  const resources = conversationResources(deps.gate.history, deps.context.principal.userId)

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [
      ...deps.tools.definitions().map(
        (definition): Tool => ({
          name: definition.name,
          description: definition.description,
          inputSchema: { type: 'object', ...definition.inputSchema },
          annotations: { readOnlyHint: true, openWorldHint: false },
        }),
      ),
      chatToolDefinition,
    ],
  }))

  server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    jsonRpcErrors(deps.gate.logger, () => callTool(request.params, extra)),
  )

  async function callTool(
    params: CallToolRequest['params'],
    extra: { requestId: string | number; signal: AbortSignal },
  ): Promise<CallToolResult> {
    const { name, arguments: args = {} } = params
    if (name === chatToolDefinition.name) {
      const outcome = await mcpChat(deps.gate, deps.context, args)
      if (!outcome.ok) return failure(outcome.code, outcome.message)
      const structured = {
        answer: outcome.answer,
        conversation_id: outcome.conversationId,
        run_id: outcome.runId,
      }
      return {
        content: [{ type: 'text', text: outcome.answer }],
        structuredContent: structured,
      }
    }
    if (!deps.tools.has(name)) {
      throw new JsonRpcFailure(ErrorCode.InvalidParams, `Unknown tool: ${name}`)
    }
    const result = await deps.tools.execute(
      { id: String(extra.requestId), name, input: args },
      extra.signal,
    )
    if (!result.ok) return failure(result.error.code, result.error.message)
    return { content: [{ type: 'text', text: result.content }] }
  }

  server.setRequestHandler(ListResourcesRequestSchema, (request) =>
    jsonRpcErrors(deps.gate.logger, () => resources.list(request.params?.cursor)),
  )
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [
      {
        uriTemplate: conversationUriTemplate,
        name: 'conversation',
        title: 'A conversation',
        description: 'One of your conversations, with its latest messages, as JSON.',
        mimeType: 'application/json',
      },
    ],
  }))
  server.setRequestHandler(ReadResourceRequestSchema, (request) =>
    jsonRpcErrors(deps.gate.logger, () => resources.read(request.params.uri)),
  )
  return server
}

function failure(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `Error (${code}): ${message}` }] }
}

/**
 * A handler's failure as the JSON-RPC error a client may see: our own `JsonRpcFailure`s as they are,
 * a client's bad input (a cursor that is not ours) as "invalid params", anything else as an
 * internal error that shows nothing (and is logged).
 */
async function jsonRpcErrors<T>(logger: Logger, body: () => Promise<T>): Promise<T> {
  try {
    return await body()
  } catch (error) {
    if (error instanceof JsonRpcFailure) throw error
    if (isAppError(error) && error.status >= 400 && error.status < 500) {
      throw new JsonRpcFailure(ErrorCode.InvalidParams, error.message)
    }
    logger.error('mcp request failed', { error: String(error) })
    throw new JsonRpcFailure(ErrorCode.InternalError, 'Internal server error')
  }
}
