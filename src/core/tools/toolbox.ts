import type { Principal } from '../auth/principal.ts'
import { createToolRegistry, type ToolRegistry } from './registry.ts'
import type { Tool } from './tool.ts'
import type { ToolSource } from './tool-source.ts'

/** Where a turn's tools come from: the built-ins plus what each remote source offers now. */
export interface Toolbox {
  /**
   * The registry of one turn acting for `principal`: its tools' contexts carry the principal.
   * Never rejects: a source that cannot answer leaves its tools out.
   */
  forTurn(scope: { principal: Principal; signal?: AbortSignal }): Promise<ToolRegistry>
}

/** Options of `createToolbox`. */
export interface ToolboxOptions {
  tools: readonly Tool[]
  sources?: readonly ToolSource[]
  defaultTimeoutMs?: number
  /** Tool names that pause for approval whatever their own flag (see `createToolRegistry`). */
  requireApproval?: readonly string[]
  /** Wraps each turn's registry (telemetry, the injection guard). */
  wrap?: (registry: ToolRegistry) => ToolRegistry
}

/** A toolbox over fixed built-in tools and remote sources, asked concurrently per turn. */
export function createToolbox(options: ToolboxOptions): Toolbox {
  const wrap = options.wrap ?? ((registry: ToolRegistry) => registry)
  return {
    async forTurn({ principal, signal }) {
      const remote = await Promise.all(
        (options.sources ?? []).map((source) => source.tools(signal).catch(() => [])),
      )
      const names = new Set(options.tools.map((tool) => tool.name))
      // A remote tool never shadows a built-in one (nor an earlier server's).
      const extra = remote.flat().filter((tool) => !names.has(tool.name) && names.add(tool.name))
      return wrap(
        createToolRegistry({
          tools: [...options.tools, ...extra],
          defaultTimeoutMs: options.defaultTimeoutMs,
          ...(options.requireApproval ? { requireApproval: options.requireApproval } : {}),
          principal,
        }),
      )
    },
  }
}
