import * as z from 'zod'
import type { ToolDefinition } from '../models/chat-model.ts'

/** What a tool's `execute` receives besides its input. */
export interface ToolContext {
  /** Aborted when the turn is cancelled or the tool's timeout passes. */
  signal: AbortSignal
  now: () => number
}

/**
 * A tool the model can call. `input` validates (and may transform) the model's arguments
 * before `execute` runs; its JSON schema is what the model is shown. `execute` may throw:
 * the registry turns failures and timeouts into error results the model sees.
 */
export interface Tool<I = unknown> {
  name: string
  description: string
  input: z.ZodType<I>
  /** Overrides the registry's default timeout. */
  timeoutMs?: number
  /** Pauses the run for the user's approval before `execute`. */
  destructive?: boolean
  execute(input: I, context: ToolContext): Promise<unknown> | unknown
}

/** Declares a tool with its input type inferred from the schema. */
export function defineTool<S extends z.ZodType>(tool: Tool<z.output<S>> & { input: S }): Tool {
  return tool as unknown as Tool
}

/** The definition sent to models: name, description and the input's JSON schema. */
export function toolDefinition(tool: Tool): ToolDefinition {
  const { $schema: _, ...schema } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<
    string,
    unknown
  >
  return { name: tool.name, description: tool.description, inputSchema: schema }
}
