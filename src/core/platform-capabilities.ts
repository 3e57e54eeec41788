import type { Config } from './config.ts'
import type { SqlDatabase } from './memory/sql-database.ts'
import type { ProviderFetch } from './models/provider-fetch.ts'
import type { RuntimeName } from './runtime-name.ts'

/** Runtime capabilities the entry file hands to the composition root. */
export interface PlatformCapabilities {
  runtime: RuntimeName
  /** Whether the runtime has a file system for embedded stores (not on Workers). */
  hasFileSystem: boolean
  /** The runtime's own transport for direct provider calls, when cheaper than its `fetch`. */
  providerFetch?: ProviderFetch
  /**
   * The server writes a `type: 'direct'` response stream straight to its socket (Bun): text
   * streams are made so, without a queue. Elsewhere such a stream is refused.
   */
  directStreams?: boolean
  /**
   * The migrated SQL database for this configuration (PGlite under DATA_DIR, or DATABASE_URL),
   * opened once by the runtime entry. Absent on Workers.
   */
  openDatabase?: (config: Config) => Promise<SqlDatabase | undefined>
  /**
   * What `openDatabase` will open, when the runtime knows it without opening it (the embedded
   * PGlite): then it is opened by the first store call that needs it, not when the services
   * are built, and a process that serves only configured API keys never pays for it.
   */
  describeDatabase?: (config: Config) => Pick<SqlDatabase, 'backend' | 'hasVector'> | undefined
  /**
   * The secret that signs guest cookies when SESSION_SECRET is unset: generated once and kept
   * under DATA_DIR by the runtime entry. Absent on Workers (no disk).
   */
  sessionSecret?: (config: Config) => Promise<string>
  /**
   * Registers work to finish before the process exits (Bun, Deno, Node): the spans still
   * waiting for their batch are sent. Absent on Workers, where `waitUntil` covers it.
   */
  onShutdown?: (task: () => Promise<void>) => void
}
