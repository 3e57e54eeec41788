import type { Client } from '@modelcontextprotocol/sdk/client'
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js'
import { DependencyError } from '../errors.ts'
import type { ReadinessCheck } from '../health/readiness-check.ts'
import type { KvStore } from '../memory/kv-store.ts'
import { type FetchLike, type OutboundPolicy, policedFetch } from '../outbound/outbound-policy.ts'
import type { Logger } from '../telemetry/logger.ts'
import type { Tool, ToolContext } from '../tools/tool.ts'
import type { ToolSource } from '../tools/tool-source.ts'
import type { McpServerConfig } from './mcp-server-config.ts'
import { remoteTool } from './remote-tool.ts'
import { toolCallContent } from './tool-call-content.ts'

/** Options of `createMcpToolSource`. */
export interface McpToolSourceOptions {
  server: McpServerConfig
  /** Where tool lists are cached, shared by every server instance. */
  kv: KvStore
  /** How long a tool list is cached. */
  ttlMs: number
  /** Bound of a call when the server sets no `timeoutMs`. */
  defaultTimeoutMs: number
  outbound: OutboundPolicy
  fetch?: FetchLike
  logger?: Logger
  /** How long a server that failed is left out before it is tried again. Default 30 s. */
  downForMs?: number
}

/** A remote MCP server's tools, plus its `/readyz` check (degraded, never failing readiness). */
export interface McpToolSource extends ToolSource {
  readonly readiness: ReadinessCheck
  /** Lists the tools from the server now and caches them (what a change notification does). */
  refresh(signal?: AbortSignal): Promise<readonly Tool[]>
  close(): Promise<void>
}

interface CachedList {
  fetchedAt: number
  tools: McpTool[]
}

/** `_meta` key under which a call names the user it acts for. */
export const principalMetaKey = 'dev.outpost/principal'

/**
 * One remote MCP server over Streamable HTTP (the SDK's client, on fetch: every runtime).
 * Its tool list lives in the KV store for `ttlMs`, so a warm turn reads it there and makes no
 * request to the server; `notifications/tools/list_changed` refreshes it. The connection is
 * opened on first need and kept; a failure drops it and marks the server down for a while,
 * during which its tools are left out instead of every turn waiting for the timeout.
 */
export function createMcpToolSource(options: McpToolSourceOptions): McpToolSource {
  const { server, kv, logger } = options
  const timeoutMs = server.timeoutMs ?? options.defaultTimeoutMs
  const listKey = `mcp:tools:${server.name}`
  const downKey = `mcp:down:${server.name}`
  const fetcher = policedFetch(options.outbound, options.fetch)
  let connection: Promise<Client> | undefined
  // Validators are compiled once per list, not once per turn.
  let built: { fetchedAt: number; tools: readonly Tool[] } | undefined

  function connect(): Promise<Client> {
    if (connection) return connection
    const opened = (async () => {
      const sdk = await import('./mcp-client-sdk.ts')
      const client = new sdk.Client(
        { name: 'outpost', version: '1' },
        { jsonSchemaValidator: new sdk.CfWorkerJsonSchemaValidator() },
      )
      client.setNotificationHandler(sdk.ToolListChangedNotificationSchema, async () => {
        await kv.delete(listKey).catch(() => false)
        await refresh().catch(() => undefined)
      })
      const transport = new sdk.StreamableHTTPClientTransport(new URL(server.url), {
        fetch: fetcher,
        requestInit: { headers: server.headers },
        reconnectionOptions: {
          maxRetries: 2,
          initialReconnectionDelay: 500,
          maxReconnectionDelay: 2000,
          reconnectionDelayGrowFactor: 2,
        },
      })
      client.onclose = () => {
        if (connection === opened) connection = undefined
      }
      await client.connect(transport, { timeout: timeoutMs })
      return client
    })()
    connection = opened
    opened.catch(() => {
      if (connection === opened) connection = undefined
    })
    return opened
  }

  async function failed(error: unknown): Promise<never> {
    const stale = connection
    connection = undefined
    stale?.then((client) => client.close()).catch(() => undefined)
    await kv.set(downKey, true, { ttlMs: options.downForMs ?? 30_000 }).catch(() => false)
    logger?.warn('mcp server failed', { server: server.name, error: String(error) })
    throw error
  }

  async function refresh(signal?: AbortSignal): Promise<readonly Tool[]> {
    try {
      const client = await connect()
      const listed: McpTool[] = []
      let cursor: string | undefined
      do {
        const page = await client.listTools(cursor ? { cursor } : {}, {
          timeout: timeoutMs,
          signal,
        })
        listed.push(...page.tools)
        cursor = page.nextCursor
      } while (cursor && listed.length < 1000)
      const allowed = server.allowedTools ? new Set(server.allowedTools) : undefined
      const list: CachedList = {
        fetchedAt: Date.now(),
        tools: listed.filter((tool) => !allowed || allowed.has(tool.name)),
      }
      await kv.set(listKey, list, { ttlMs: options.ttlMs })
      await kv.delete(downKey).catch(() => false)
      return build(list)
    } catch (error) {
      return failed(error)
    }
  }

  function build(list: CachedList): readonly Tool[] {
    if (built?.fetchedAt === list.fetchedAt) return built.tools
    const tools: Tool[] = []
    const names = new Set<string>()
    for (const descriptor of list.tools) {
      try {
        const tool = remoteTool({ name: server.name, timeoutMs }, descriptor, call)
        // Two remote names may map to one after sanitising: the first one wins.
        if (names.has(tool.name)) continue
        names.add(tool.name)
        tools.push(tool)
      } catch (error) {
        logger?.warn('mcp tool skipped: unusable input schema', {
          server: server.name,
          tool: descriptor.name,
          error: String(error),
        })
      }
    }
    built = { fetchedAt: list.fetchedAt, tools }
    return tools
  }

  async function call(
    name: string,
    input: Record<string, unknown>,
    context: ToolContext,
  ): Promise<unknown> {
    let result: CallToolResult
    try {
      const client = await connect()
      result = (await client.callTool(
        {
          name,
          arguments: input,
          ...(context.principal
            ? {
                _meta: {
                  [principalMetaKey]: {
                    userId: context.principal.userId,
                    kind: context.principal.kind,
                  },
                },
              }
            : {}),
        },
        undefined,
        { timeout: timeoutMs, signal: context.signal },
      )) as CallToolResult
    } catch (error) {
      if (context.signal.aborted) throw error
      return failed(
        new DependencyError('mcp_unavailable', `MCP server "${server.name}" did not answer.`, {
          cause: error,
        }),
      )
    }
    const content = toolCallContent(result)
    // A tool's own failure is a result the model should read, not a broken server.
    if (result.isError) throw new Error(content || `${name} failed`)
    return content
  }

  return {
    name: server.name,
    async tools(signal) {
      try {
        const cached = await kv.get<CachedList>(listKey)
        if (cached) return build(cached)
        if (await kv.get(downKey)) return []
        return await refresh(signal)
      } catch {
        return []
      }
    },
    refresh,
    readiness: {
      name: `mcp:${server.name}`,
      kind: 'mcp-server',
      backend: new URL(server.url).host,
      optional: true,
      async check(signal) {
        const client = await connect().catch(failed)
        await client.ping({ timeout: timeoutMs, signal }).catch(failed)
      },
    },
    async close() {
      const open = connection
      connection = undefined
      await open?.then((client) => client.close()).catch(() => undefined)
    },
  }
}
