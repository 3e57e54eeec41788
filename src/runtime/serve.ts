import type { MiddlewareHandler } from 'hono'
import type { UpgradeWebSocket } from 'hono/ws'
import { createApp } from '../app.ts'
import { type Bindings, type Config, parseConfig } from '../core/config.ts'
import { ConfigError } from '../core/errors.ts'
import type { ProviderFetch } from '../core/models/provider-fetch.ts'
import type { RuntimeName } from '../core/runtime-name.ts'
import { createLogger, type Logger } from '../core/telemetry/logger.ts'
import { createOpenSockets } from '../routes/socket/open-sockets.ts'
import { enableAsyncContext } from './async-context.ts'
import { createBackgroundTasks } from './background-tasks.ts'
import { brotliStream } from './brotli-stream.ts'
import { embeddedDatabaseExists } from './embedded-database.ts'
import {
  EmbeddedDatabaseBusyError,
  type EmbeddedDatabaseLock,
  lockEmbeddedDatabase,
} from './embedded-database-lock.ts'
import { type OpenedDatabase, openDatabase } from './open-database.ts'
import { loadSessionSecret } from './session-secret.ts'

/** A listening server, as each runtime's entry starts it. */
export interface Listener {
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(): Promise<void>
}

/** What a runtime's entry supplies: the only runtime-specific parts of serving. */
export interface ServeOptions {
  runtime: RuntimeName
  env: Bindings
  /** False where the disk is read-only or absent (Deno Deploy): embedded stores stay in memory. */
  hasFileSystem: boolean
  /** The runtime's own transport for direct provider calls, when cheaper than its `fetch`. */
  providerFetch?: ProviderFetch
  /** Bun.serve writes `type: 'direct'` streams straight to the socket (see PlatformCapabilities). */
  directStreams?: boolean
  staticFiles: MiddlewareHandler
  /** The runtime's WebSocket upgrade, for `/chat`. */
  upgradeWebSocket?: UpgradeWebSocket
  /**
   * Starts serving; the runtime passes each request's peer address along with it, as a
   * function: it is asked for by few requests (`/metrics`, a new guest), and costs a lookup.
   */
  listen(
    fetch: (
      request: Request,
      remoteAddress?: () => string | undefined,
    ) => Response | Promise<Response>,
    config: Config,
  ): Listener | Promise<Listener>
  onSignal(signal: 'SIGTERM' | 'SIGINT', handler: () => void): void
  exit(code: number): void
}

const drainTimeoutMs = 10_000

/**
 * Shared start-up for Bun, Deno and Node: check the configuration first (a bad one prints every
 * problem and exits 1), serve the app, and on SIGTERM/SIGINT stop accepting, close open
 * WebSockets (1001), let requests and background tasks finish (up to 10 s), then exit 0.
 */
export async function serve(options: ServeOptions): Promise<void> {
  let config: Config
  try {
    config = parseConfig(options.env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(`outpost: ${error.message}`)
    options.exit(1)
    return
  }

  const logger = createLogger({ level: config.LOG_LEVEL })
  enableAsyncContext()
  // Peer addresses by request, for `/metrics` without a token (loopback only).
  const remoteAddresses = new WeakMap<Request, () => string | undefined>()
  const background = createBackgroundTasks()
  const sockets = createOpenSockets()
  const embedded = options.hasFileSystem && !config.DATABASE_URL
  // DATABASE_URL is connected and migrated right after the port is bound (a port in use is
  // reported at once). The embedded database is opened by the first request that needs it:
  // PGlite costs seconds and over 100 MB, which a process serving only configured API keys
  // never needs. Requests that need data wait for it instead of failing.
  let database: Promise<OpenedDatabase | undefined> | undefined
  const open = embedded
    ? () => openEmbedded(config, logger)
    : () => openDatabase(config, { hasFileSystem: options.hasFileSystem })
  let sessionSecret: Promise<string> | undefined
  const shutdownTasks: Array<() => Promise<void>> = []
  const app = createApp({
    platform: {
      onShutdown: (task) => shutdownTasks.push(task),
      runtime: options.runtime,
      hasFileSystem: options.hasFileSystem,
      providerFetch: options.providerFetch,
      directStreams: options.directStreams,
      describeDatabase: () => (embedded ? { backend: 'pglite', hasVector: true } : undefined),
      openDatabase: () => {
        // A failed open is retried by the next request rather than remembered forever.
        database = database ? database.catch(open) : open()
        return database
      },
      sessionSecret: options.hasFileSystem
        ? () => {
            if (!sessionSecret) {
              const loading = loadSessionSecret(config.DATA_DIR)
              // A failed read or write is retried by the next request, not remembered.
              loading.catch(() => {
                if (sessionSecret === loading) sessionSecret = undefined
              })
              sessionSecret = loading
            }
            return sessionSecret
          }
        : undefined,
    },
    staticFiles: options.staticFiles,
    compression: { brotli: brotliStream },
    upgradeWebSocket: options.upgradeWebSocket,
    sockets,
    remoteAddress: (c) => remoteAddresses.get(c.req.raw)?.(),
  })
  // Another Outpost (or `npm run keys`) holding the embedded database is refused at start, as
  // before it was opened lazily: serving without it would lose data.
  let startLock: EmbeddedDatabaseLock | undefined
  if (embedded) {
    try {
      startLock = await lockEmbeddedDatabase(config.DATA_DIR)
    } catch (error) {
      if (error instanceof EmbeddedDatabaseBusyError) {
        console.error(`outpost: ${error.message}`)
        options.exit(1)
        return
      }
      // An unwritable DATA_DIR: serve, and let the requests that need data report it.
      logger.error('database unavailable', { error: String(error) })
    }
  }
  let listener: Listener
  try {
    listener = await options.listen((request, remoteAddress) => {
      if (remoteAddress) remoteAddresses.set(request, remoteAddress)
      return app.fetch(request, options.env, background)
    }, config)
  } catch (error) {
    await startLock?.release()
    if (!isAddressInUse(error)) throw error
    console.error(
      `outpost: ${config.HOST}:${config.PORT} is already in use (another Outpost?); stop it or set PORT`,
    )
    options.exit(1)
    return
  }
  // Registered before the database wait: a stop during creation lets it finish and close.
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info('shutting down', {
      signal,
      pending_background_tasks: background.pending,
      open_sockets: sockets.size,
    })
    const closing = listener.close()
    // Open sockets would hold the server forever. Their runs already live in the background
    // (drained below); clients resume them elsewhere after 1001 (going away).
    await sockets.closeAll(1001, 'server shutting down')
    await closing
    const left = await background.drain(drainTimeoutMs)
    if (left > 0) logger.warn('background tasks cut off at shutdown', { left })
    // Spans of the last requests, still waiting for their batch, go out before we exit.
    await Promise.race([
      Promise.allSettled(shutdownTasks.map((task) => task())),
      new Promise((resolve) => setTimeout(resolve, 2000)),
    ])
    await database?.then((opened) => opened?.close()).catch(() => {})
    await startLock?.release().catch(() => {})
    options.exit(0)
  }
  options.onSignal('SIGTERM', () => void stop('SIGTERM'))
  options.onSignal('SIGINT', () => void stop('SIGINT'))

  if (!embedded) {
    const opening = database ?? open()
    database = opening
    opening.catch((error: unknown) =>
      logger.error('database unavailable', { error: String(error) }),
    )
  }
  logger.info('listening', {
    runtime: options.runtime,
    url: `http://${config.HOST}:${config.PORT}`,
  })
}

/** Opens the embedded database (on first need), saying what the wait is and how long it took. */
async function openEmbedded(config: Config, logger: Logger): Promise<OpenedDatabase | undefined> {
  const existed = await embeddedDatabaseExists(config.DATA_DIR)
  const started = performance.now()
  logger.info(
    existed
      ? 'opening the embedded database'
      : 'creating the embedded database (first time only, takes a few seconds)',
    { data_dir: config.DATA_DIR },
  )
  try {
    const opened = await openDatabase(config, { hasFileSystem: true })
    logger.info(existed ? 'embedded database opened' : 'embedded database created', {
      duration_ms: Math.round(performance.now() - started),
    })
    return opened
  } catch (error) {
    logger.error('database unavailable', { error: String(error) })
    throw error
  }
}

/** Bun and Node report a taken port as `EADDRINUSE`, Deno as `Deno.errors.AddrInUse`. */
function isAddressInUse(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, name } = error as { code?: unknown; name?: unknown }
  return code === 'EADDRINUSE' || name === 'AddrInUse'
}
