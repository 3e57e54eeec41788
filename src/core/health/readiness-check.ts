/**
 * One dependency `/readyz` asks about: a store, a model provider or a remote MCP server. `check` resolves when the
 * dependency answers and rejects (with anything) when it does not; the caller applies the
 * timeout and aborts `signal` when it expires.
 */
export interface ReadinessCheck {
  /** Stable identifier, e.g. `history`, `provider:openai`. */
  name: string
  kind: 'store' | 'provider' | 'mcp-server'
  /** When it fails the app is degraded, not unready (a remote MCP server: its tools are left out). */
  optional?: boolean
  /** Which implementation answers, e.g. `upstash-redis`, `pglite`, `in-memory`. */
  backend: string
  check(signal: AbortSignal): Promise<void>
}
