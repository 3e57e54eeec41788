/** MCP's "resource not found" code (the spec's -32002; the SDK has no constant for it). */
export const resourceNotFoundCode = -32002

/**
 * A failure a request handler throws for the client to see as a JSON-RPC error with exactly
 * this `code` and `message`. (The SDK's `McpError` prefixes its message with "MCP error N:",
 * which the client's `McpError` then prefixes again.)
 */
export class JsonRpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
    this.name = 'JsonRpcFailure'
  }
}
