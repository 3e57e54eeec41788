// @ts-types="@modelcontextprotocol/sdk/types"
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js'
import { jsonSchemaInput } from '../tools/json-schema-input.ts'
import type { Tool, ToolContext } from '../tools/tool.ts'
import { remoteToolName } from './remote-tool-name.ts'

/** What a remote tool needs to run: the call over its server's connection. */
export type RemoteCall = (
  name: string,
  input: Record<string, unknown>,
  context: ToolContext,
) => Promise<unknown>

/**
 * An MCP server's tool as an agent tool: namespaced, its input schema validated here (by
 * `@cfworker/json-schema`, no code generation), marked destructive from `destructiveHint`,
 * and untrusted, because a remote server's output is data, not instructions.
 */
export function remoteTool(
  server: { name: string; timeoutMs?: number },
  descriptor: McpTool,
  call: RemoteCall,
): Tool {
  return {
    name: remoteToolName(server.name, descriptor.name),
    description: (descriptor.description ?? descriptor.title ?? descriptor.name).slice(0, 1024),
    input: jsonSchemaInput(descriptor.inputSchema as Record<string, unknown>),
    ...(server.timeoutMs !== undefined ? { timeoutMs: server.timeoutMs } : {}),
    ...(descriptor.annotations?.destructiveHint === true ? { destructive: true } : {}),
    untrusted: true,
    server: server.name,
    execute: (input, context) => call(descriptor.name, input as Record<string, unknown>, context),
  }
}
