import type { Principal } from '../auth/principal.ts'
import { AppError } from '../errors.ts'
import type { ToolCall, ToolDefinition } from '../models/chat-model.ts'
import { type Tool, toolDefinition, validateToolInput } from './tool.ts'

/** Why a tool call produced no value. */
export type ToolErrorCode =
  | 'unknown_tool'
  | 'invalid_input'
  | 'timeout'
  | 'failed'
  | 'aborted'
  | 'denied'

/**
 * The outcome of one tool call, a value either way. `content` is what the model is shown:
 * the output (JSON unless it is text) or, on failure, the error message.
 */
export type ToolResult = {
  callId: string
  name: string
  content: string
  durationMs: number
  /** The tool's output came from outside (web, remote MCP): the guard treats it as data. */
  untrusted?: true
  /** The remote MCP server that answered; absent for built-in tools. */
  server?: string
} & ({ ok: true; output: unknown } | { ok: false; error: { code: ToolErrorCode; message: string } })

/** The tools a turn may use. */
export interface ToolRegistry {
  /** Definitions to send to the model. */
  definitions(): ToolDefinition[]
  has(name: string): boolean
  /** Whether a call of `name` waits for the user's approval (a destructive or listed tool). */
  needsApproval(name: string): boolean
  /** Validates the input, runs the tool under its timeout, and never rejects. */
  execute(call: ToolCall, signal?: AbortSignal): Promise<ToolResult>
}

/** Options of `createToolRegistry`. */
export interface ToolRegistryOptions {
  tools: readonly Tool[]
  /** Per-call limit for tools without their own `timeoutMs`. Default 10 s. */
  defaultTimeoutMs?: number
  /** Longest result shown to the model, in characters. Default 20 000. */
  maxResultChars?: number
  /** Tool names that need the user's approval besides those marked `destructive`. */
  requireApproval?: readonly string[]
  now?: () => number
  /** Who the turn acts for; every tool's context carries it. */
  principal?: Principal
}

/** A registry over a fixed list of tools; names must be unique. */
export function createToolRegistry(options: ToolRegistryOptions): ToolRegistry {
  const now = options.now ?? Date.now
  const maxChars = options.maxResultChars ?? 20_000
  const tools = new Map<string, Tool>()
  for (const tool of options.tools) {
    if (tools.has(tool.name)) {
      throw new AppError('tool_duplicate', `Duplicate tool name: ${tool.name}`)
    }
    tools.set(tool.name, tool)
  }
  const definitions = [...tools.values()].map(toolDefinition)

  async function execute(call: ToolCall, signal?: AbortSignal): Promise<ToolResult> {
    const started = now()
    const tool = tools.get(call.name)
    const base = {
      callId: call.id,
      name: call.name,
      ...(tool?.untrusted ? { untrusted: true as const } : {}),
      ...(tool?.server ? { server: tool.server } : {}),
    }
    const failure = (code: ToolErrorCode, message: string): ToolResult => ({
      ...base,
      ok: false,
      error: { code, message },
      content: `Error (${code}): ${message}`,
      durationMs: now() - started,
    })

    if (!tool) return failure('unknown_tool', `There is no tool named "${call.name}".`)
    const parsed = validateToolInput(tool, call.input)
    if (!parsed.ok) return failure('invalid_input', parsed.issues.join('; '))
    if (signal?.aborted) return failure('aborted', 'The turn was cancelled.')

    const controller = new AbortController()
    const timeoutMs = tool.timeoutMs ?? options.defaultTimeoutMs ?? 10_000
    let timer: ReturnType<typeof setTimeout> | undefined
    let onAbort = () => {}
    const stopped = new Promise<ToolErrorCode>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error('timeout'))
        resolve('timeout')
      }, timeoutMs)
      onAbort = () => {
        controller.abort(signal?.reason)
        resolve('aborted')
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })
    try {
      const run = Promise.resolve().then(() =>
        tool.execute(parsed.value, {
          signal: controller.signal,
          now,
          ...(options.principal ? { principal: options.principal } : {}),
        }),
      )
      const outcome = await Promise.race([
        run.then((output) => ({ output })),
        stopped.then((code) => ({ code })),
      ])
      if ('code' in outcome) {
        run.catch(() => {})
        return outcome.code === 'timeout'
          ? failure('timeout', `The tool did not answer within ${timeoutMs} ms.`)
          : failure('aborted', 'The turn was cancelled.')
      }
      const text =
        typeof outcome.output === 'string' ? outcome.output : (JSON.stringify(outcome.output) ?? '')
      // A huge result would crowd the model's context out; it gets the head and a marker.
      const content =
        text.length > maxChars
          ? `${text.slice(0, maxChars)}\n[truncated: ${text.length} characters]`
          : text
      return { ...base, ok: true, output: outcome.output, content, durationMs: now() - started }
    } catch (error) {
      return failure('failed', error instanceof Error ? error.message : String(error))
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }

  const listed = new Set(options.requireApproval ?? [])
  return {
    definitions: () => definitions,
    has: (name) => tools.has(name),
    needsApproval: (name) => listed.has(name) || tools.get(name)?.destructive === true,
    execute,
  }
}
