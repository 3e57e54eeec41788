import type { Tool } from './tool.ts'

/** Tools that come and go (a remote MCP server's): asked once per turn. */
export interface ToolSource {
  readonly name: string
  /** The tools offered now. Never rejects: a source that cannot answer offers none. */
  tools(signal?: AbortSignal): Promise<readonly Tool[]>
}
