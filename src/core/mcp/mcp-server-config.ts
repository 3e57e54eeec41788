import * as z from 'zod'

/** One remote MCP server whose tools the agent may use (an entry of `MCP_SERVERS`). */
export const mcpServerConfig = z
  .object({
    /** Prefixes its tools (`name__tool`), so it cannot contain `__`. */
    name: z.string().regex(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,22}[a-zA-Z0-9])?$/, {
      message: 'letters, digits and inner hyphens, at most 24 characters',
    }),
    url: z
      .string()
      .url()
      .refine((value) => /^https?:\/\//i.test(value), { message: 'an http(s) URL' }),
    /** Sent with every request; `${VAR}` in a value is replaced by that variable's value. */
    headers: z.record(z.string().min(1), z.string()).default({}),
    /** Only these of its tools (by the server's own names); all when absent. */
    allowedTools: z.array(z.string().min(1)).min(1).optional(),
    /** Bound on connecting, listing and each call. */
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
  })
  .strict()

/** A configured remote MCP server, headers already substituted. */
export type McpServerConfig = z.output<typeof mcpServerConfig>

/** `MCP_SERVERS`: a JSON array of servers with unique names. */
export const mcpServersSetting = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown
    } catch {
      context.addIssue({ code: 'custom', message: 'not valid JSON' })
      return z.NEVER
    }
  })
  .pipe(
    z
      .array(mcpServerConfig)
      .max(16)
      .refine((servers) => new Set(servers.map((s) => s.name)).size === servers.length, {
        message: 'server names must be unique',
      }),
  )

/** One human-readable line per problem: where in the JSON, and what is wrong. */
export function describeMcpServersIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'value'}: ${issue.message}`)
    .join('; ')
}

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]{0,127})\}/g

/**
 * Replaces each `${VAR}` in the servers' header values by that binding's value. Returns the
 * servers and the variables that were named but are unset (the caller reports them).
 */
export function substituteHeaders(
  servers: readonly McpServerConfig[],
  lookup: (name: string) => string | undefined,
): { servers: McpServerConfig[]; missing: string[] } {
  const missing = new Set<string>()
  const resolved = servers.map((server) => ({
    ...server,
    headers: Object.fromEntries(
      Object.entries(server.headers).map(([header, value]) => [
        header,
        value.replace(reference, (_, name: string) => {
          const found = lookup(name)
          if (found === undefined) missing.add(name)
          return found ?? ''
        }),
      ]),
    ),
  }))
  return { servers: resolved, missing: [...missing] }
}
