import { Hono, type MiddlewareHandler } from 'hono'
import { methodNotAllowed } from 'hono/method-not-allowed'
import { requestId } from 'hono/request-id'
import type { UpgradeWebSocket } from 'hono/ws'
import type { AppEnv } from './app-env.ts'
import { MethodNotAllowedError, NotFoundError } from './core/errors.ts'
import type { PlatformCapabilities } from './core/platform-capabilities.ts'
import { createServices } from './core/services.ts'
import { addressLimit } from './middleware/address-limit.ts'
import { apiKeyAuth } from './middleware/api-key-auth.ts'
import { configuredBodyLimit } from './middleware/body-limit.ts'
import { cachedStaticFiles } from './middleware/cached-static-files.ts'
import { csrfGuard } from './middleware/csrf-guard.ts'
import { renderError } from './middleware/error-response.tsx'
import { guestIdentity } from './middleware/guest-identity.ts'
import { requestBodyGuard } from './middleware/request-body-guard.ts'
import { requestLog } from './middleware/request-log.ts'
import { requestTelemetry } from './middleware/request-telemetry.ts'
import { type CompressionOptions, responseCompression } from './middleware/response-compression.ts'
import { securityHeaders } from './middleware/security-headers.ts'
import { type ServicesFactory, servicesMiddleware } from './middleware/services.ts'
import { chatActionRoutes } from './routes/chat/chat-actions.tsx'
import { chatBrowseRoutes } from './routes/chat/chat-browse.tsx'
import { chatEditRoutes } from './routes/chat/chat-edit.tsx'
import { chatPageRoutes } from './routes/chat/chat-pages.tsx'
import { imageRoutes } from './routes/chat/image-routes.ts'
import { runEventRoutes } from './routes/chat/run-events.tsx'
import { livenessRoutes, readinessRoutes } from './routes/health.ts'
import { mcpRoutes } from './routes/mcp/mcp-routes.ts'
import { memoryPageRoutes } from './routes/memory-page.tsx'
import { metricsRoutes, type RemoteAddress } from './routes/metrics.ts'
import { pingRoutes } from './routes/ping.ts'
import { programRoutes } from './routes/program-routes.ts'
import { chatSocketRoutes } from './routes/socket/chat-socket.ts'
import type { OpenSockets } from './routes/socket/open-sockets.ts'
import { usagePageRoutes } from './routes/usage-page.tsx'

/** What a runtime entry (or a test) hands to `createApp`. */
export interface AppOptions {
  platform: PlatformCapabilities
  /** Serves `public/` (Bun, Deno, Node); on Workers the platform serves assets itself. */
  staticFiles?: MiddlewareHandler
  /** Compresses responses (Bun, Deno, Node); on Workers Cloudflare's edge does it. */
  compression?: CompressionOptions
  /** Replaces the composition root; tests inject fakes here. */
  services?: ServicesFactory
  /** The runtime's WebSocket upgrade; without it there is no `/chat` socket. */
  upgradeWebSocket?: UpgradeWebSocket
  /** Open sockets, closed by the runtime's shutdown. */
  sockets?: OpenSockets
  /** The peer's socket address (Bun, Deno, Node); lets loopback scrape `/metrics` untokened. */
  remoteAddress?: RemoteAddress
  /** The usage page's clock; tests pin it. */
  usage?: { now?: () => number }
  /** The client's address for the address limit when it differs from the peer's (Workers). */
  clientAddress?: (request: Request) => string | undefined
}

const requestIdPattern = /^[\w.:-]{1,128}$/

/**
 * Builds the Outpost app. Runtime-neutral: every runtime-specific piece arrives through
 * `options`, and bindings arrive per request as `c.env`.
 */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  // Outermost: middleware that re-renders a response after `next` (405s) would otherwise
  // keep a Content-Encoding that no longer matches the body.
  if (options.compression) app.use(responseCompression(options.compression))

  app.use(
    requestId({
      // Honour a caller's id only when it is safe to echo into headers and logs.
      generator: (c) => {
        const incoming = c.req.header('X-Request-Id')
        return incoming && requestIdPattern.test(incoming) ? incoming : crypto.randomUUID()
      },
    }),
  )
  app.use(securityHeaders())
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, allow) =>
        renderError(c, new MethodNotAllowedError(c.req.method, allow)),
    }),
  )
  if (options.staticFiles) app.use(cachedStaticFiles(options.staticFiles))
  app.route('/', livenessRoutes)

  app.use(requestLog())
  app.use(
    servicesMiddleware({ platform: options.platform, build: options.services ?? createServices }),
  )
  app.use(requestTelemetry())
  app.use(configuredBodyLimit())
  app.use(requestBodyGuard())
  app.route('/', readinessRoutes)
  app.route('/', metricsRoutes({ remoteAddress: options.remoteAddress }))
  // The chat UI. Browsers get a guest identity (also read by the WebSocket `/chat`); every
  // state-changing request under /c must carry its CSRF token and come from our origin.
  const guests = guestIdentity({
    platform: options.platform,
    // The socket recognises a browser's existing guest cookie but never mints one.
    mintNew: (c) => c.req.path !== '/chat',
    // Minting a guest creates state: limited per client address.
    admitNew: addressLimit({
      clientAddress: (c) => options.clientAddress?.(c.req.raw) ?? options.remoteAddress?.(c),
    }),
  })
  app.use('/', guests)
  app.use('/c/*', guests)
  app.use('/chat', guests)
  app.use('/usage', guests)
  app.use('/search', guests)
  app.use('/memory', guests)
  app.use('/memory/*', guests)
  app.use('/c/*', csrfGuard())
  app.use('/memory/*', csrfGuard())
  app.route('/', chatPageRoutes)
  app.route('/', usagePageRoutes(options.usage))
  app.route('/', memoryPageRoutes)
  app.route('/', chatActionRoutes)
  app.route('/', chatEditRoutes)
  app.route('/', chatBrowseRoutes)
  app.route('/', runEventRoutes)
  app.route('/', imageRoutes)
  app.route('/', pingRoutes)
  // APIs for programs: /api REST, /v1 OpenAI- and Anthropic-compatible, /openapi.json, /docs.
  app.route('/', programRoutes())
  // MCP clients (Streamable HTTP), behind API keys and the allowed hosts.
  app.route('/', mcpRoutes)
  if (options.upgradeWebSocket) {
    // Programs present an API key; browsers come with the guest cookie.
    app.use('/chat', apiKeyAuth({ optional: true }))
    app.route(
      '/',
      chatSocketRoutes({ upgradeWebSocket: options.upgradeWebSocket, sockets: options.sockets }),
    )
  }

  app.notFound((c) =>
    renderError(c, new NotFoundError(`No route for ${c.req.method} ${c.req.path}`)),
  )
  app.onError((error, c) => renderError(c, error))
  return app
}
