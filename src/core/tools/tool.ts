import * as z from 'zod'
import type { Principal } from '../auth/principal.ts'
import type { ToolDefinition } from '../models/chat-model.ts'
import type { InputCheck, JsonSchemaInput } from './json-schema-input.ts'

/** What a tool's `execute` receives besides its input. */
export interface ToolContext {
  /** Aborted when the turn is cancelled or the tool's timeout passes. */
  signal: AbortSignal
  now: () => number
  /**
   * Who the turn acts for, so a tool acts for that user (a remote MCP tool passes it on).
   * Absent only outside a request (unit tests, benchmarks).
   */
  principal?: Principal
}

/**
 * A tool the model can call. `input` validates (and may transform) the model's arguments
 * before `execute` runs; its JSON schema is what the model is shown. Built-in tools use zod;
 * remote tools carry the server's JSON schema and a validator (`JsonSchemaInput`). `execute`
 * may throw: the registry turns failures and timeouts into error results the model sees.
 */
export interface Tool<I = unknown> {
  name: string
  description: string
  input: z.ZodType<I> | JsonSchemaInput
  /** Overrides the registry's default timeout. */
  timeoutMs?: number
  /** Changes something outside Outpost (MCP `destructiveHint`), so a person approves first. */
  destructive?: boolean
  /** Its output comes from outside (the web, a remote server): data, never instructions. */
  untrusted?: boolean
  /** The remote MCP server the tool comes from; absent for built-in tools. */
  server?: string
  execute(input: I, context: ToolContext): Promise<unknown> | unknown
}

/** Declares a tool with its input type inferred from the schema. */
export function defineTool<S extends z.ZodType>(tool: Tool<z.output<S>> & { input: S }): Tool {
  return tool as unknown as Tool
}

function isJsonSchemaInput(input: Tool['input']): input is JsonSchemaInput {
  return 'jsonSchema' in input
}

/** Validates a model's arguments against the tool's input: the (parsed) value or the issues. */
export function validateToolInput(tool: Tool, value: unknown): InputCheck {
  if (isJsonSchemaInput(tool.input)) return tool.input.validate(value)
  const parsed = tool.input.safeParse(value)
  if (parsed.success) return { ok: true, value: parsed.data }
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`),
  }
}

// Registries are built per turn (remote tools vary); a tool's definition is computed once.
const definitions = new WeakMap<Tool, ToolDefinition>()

/** The definition sent to models: name, description and the input's JSON schema. */
export function toolDefinition(tool: Tool): ToolDefinition {
  const known = definitions.get(tool)
  if (known) return known
  const schema = isJsonSchemaInput(tool.input)
    ? tool.input.jsonSchema
    : (({ $schema: _, ...rest }) => rest)(
        z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>,
      )
  const definition = { name: tool.name, description: tool.description, inputSchema: schema }
  definitions.set(tool, definition)
  return definition
}
