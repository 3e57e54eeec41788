import type { Config } from './config.ts'
import { createMcpToolSource, type McpToolSource } from './mcp/mcp-tool-source.ts'
import type { KvStore } from './memory/kv-store.ts'
import { createOutboundPolicy } from './outbound/outbound-policy.ts'
import type { Logger } from './telemetry/logger.ts'
import { calculatorTool } from './tools/calculator.ts'
import { currentTimeTool } from './tools/current-time.ts'
import { createToolRegistry, type ToolRegistry } from './tools/registry.ts'
import { createToolbox, type Toolbox } from './tools/toolbox.ts'
import { createWebSearchTool } from './tools/web-search.ts'

/** What `createTools` needs besides the configuration. */
export interface ToolsOptions {
  config: Config
  /** Where remote servers' tool lists are cached between isolates. */
  kv: KvStore
  logger: Logger
  /** Wraps every registry (telemetry: a span and a count per call). */
  observe: (registry: ToolRegistry) => ToolRegistry
  /** Registers the remote servers' clean-up at shutdown, where the runtime has one. */
  onShutdown?: (task: () => Promise<void>) => void
}

/** The agent's tools: built-ins always, remote MCP servers' per turn (see `Toolbox`). */
export interface Tools {
  /** The built-in tools alone (MCP's `tools/list`, and turns without a toolbox). */
  tools: ToolRegistry
  /** Each turn's registry: the built-ins plus what the remote servers offer now. */
  toolbox: Toolbox
  mcpServers: McpToolSource[]
}

/**
 * Composes the tools the configuration asks for: the clock and the calculator, `web_search`
 * when WEB_SEARCH_URL is set, and every server of MCP_SERVERS, all behind the same outbound
 * policy, time limit and approval list.
 */
export function createTools(options: ToolsOptions): Tools {
  const { config, observe } = options
  const outbound = createOutboundPolicy(config.OUTBOUND_ALLOWED_HOSTS)
  const builtins = [
    currentTimeTool,
    calculatorTool,
    ...(config.WEB_SEARCH_URL
      ? [
          createWebSearchTool({
            url: config.WEB_SEARCH_URL,
            api: config.WEB_SEARCH_API,
            apiKey: config.WEB_SEARCH_API_KEY,
            outbound,
          }),
        ]
      : []),
  ]
  const requireApproval = config.TOOLS_REQUIRING_APPROVAL ?? []
  const tools = observe(
    createToolRegistry({
      tools: builtins,
      defaultTimeoutMs: config.TOOL_TIMEOUT_MS,
      requireApproval,
    }),
  )
  const mcpServers = (config.MCP_SERVERS ?? []).map((server) =>
    createMcpToolSource({
      server,
      kv: options.kv,
      ttlMs: config.MCP_TOOLS_TTL_SECONDS * 1000,
      defaultTimeoutMs: config.TOOL_TIMEOUT_MS,
      outbound,
      logger: options.logger,
    }),
  )
  for (const source of mcpServers) options.onShutdown?.(() => source.close())
  const toolbox = createToolbox({
    tools: builtins,
    sources: mcpServers,
    defaultTimeoutMs: config.TOOL_TIMEOUT_MS,
    requireApproval,
    wrap: observe,
  })
  return { tools, toolbox, mcpServers }
}
