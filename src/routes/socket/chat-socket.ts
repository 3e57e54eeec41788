import { Hono } from 'hono'
import type { UpgradeWebSocket, WSContext } from 'hono/ws'
import type { AppEnv } from '../../app-env.ts'
import type { Principal } from '../../core/auth/principal.ts'
import { AppError } from '../../core/errors.ts'
import { validTraceparent } from '../../core/gate/request-context.ts'
import { gateDeps } from '../../core/request-deps.ts'
import type { RequestServices } from '../../core/services.ts'
import { errorFields } from '../../core/telemetry/error-fields.ts'
import type { ServerFrame } from './chat-socket-frames.ts'
import { createChatSession } from './chat-socket-session.ts'
import type { OpenSockets } from './open-sockets.ts'

/** What the `/chat` route needs from its runtime. */
export interface ChatSocketOptions {
  /** The runtime's WebSocket upgrade (Hono's helper, or `@hono/node-ws` on Node). */
  upgradeWebSocket: UpgradeWebSocket
  /** Where open sockets are registered, so a shutting-down server can close them. */
  sockets?: OpenSockets
}

const open = 1

/**
 * `GET /chat`: the chat over one WebSocket, in JSON frames (see `chat-socket-frames.ts`). The
 * caller's identity is `c.var.principal`, set by the authentication in front; without one the
 * upgrade is refused with a 401 JSON error, one from a page of another site (its `Origin`) with
 * 403, and a plain GET gets 426. Closing the socket never
 * stops a run: it goes on in the background and a `resume` on a new socket continues it.
 */
export function chatSocketRoutes(options: ChatSocketOptions): Hono<AppEnv> {
  return new Hono<AppEnv>().get(
    '/chat',
    async (c, next) => {
      if (!c.var.principal) {
        throw new AppError('unauthorized', 'The chat socket needs an identity', { status: 401 })
      }
      // A browser opens sockets to any site and sends that site's cookies with them
      // (cross-site WebSocket hijacking): a page from elsewhere must not act as its visitor.
      const origin = c.req.header('Origin')
      if (origin !== undefined && !sameHost(origin, c.req.url)) {
        throw new AppError('origin_forbidden', 'This socket only accepts pages of this site', {
          status: 403,
        })
      }
      if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
        throw new AppError('upgrade_required', 'GET /chat speaks WebSocket', {
          status: 426,
          details: { upgrade: 'websocket' },
        })
      }
      await next()
    },
    options.upgradeWebSocket((c) => {
      // The adapter's context is untyped; the middleware above guarantees the principal.
      const principal = c.get('principal') as Principal
      const services = c.get('services') as RequestServices
      let socket: WSContext | undefined
      let closed = false
      const send = (frame: ServerFrame) => {
        if (closed || !socket || socket.readyState > open) return
        try {
          socket.send(JSON.stringify(frame))
        } catch {
          // The peer went away between the check and the write; onClose follows.
        }
      }
      const traceparent = validTraceparent(c.req.header('traceparent'))
      const session = createChatSession({
        deps: gateDeps(services),
        context: {
          principal,
          requestId: c.get('requestId') as string,
          ...(traceparent ? { traceparent } : {}),
        },
        send,
        imageMaxBytes: services.config.IMAGE_MAX_BYTES,
      })
      let forget: (() => void) | undefined
      const connections = services.telemetry.metrics.openConnections
      connections.add({ kind: 'websocket' }, 1)
      let counted = true
      const attach = (ws: WSContext) => {
        socket ??= ws
        forget ??= options.sockets?.add({
          close: async (code, reason) => {
            await session.settled()
            closed = true
            session.close()
            ws.close(code, reason)
          },
        })
      }
      const end = () => {
        if (counted) connections.add({ kind: 'websocket' }, -1)
        counted = false
        closed = true
        session.close()
        forget?.()
      }
      return {
        // Workers never calls onOpen: the first message attaches the socket there.
        onOpen: (_event, ws) => attach(ws),
        onMessage: (event, ws) => {
          attach(ws)
          void session.receive(event.data)
        },
        onClose: end,
        onError: (event, _ws) => {
          const cause = 'error' in event ? event.error : event.type
          services.logger.warn('chat socket error', errorFields(cause))
          end()
        },
      }
    }),
    () => {
      // The adapter declined (an upgrade request it cannot take over).
      throw new AppError('upgrade_failed', 'The WebSocket upgrade failed', { status: 500 })
    },
  )
}

function sameHost(origin: string, url: string): boolean {
  try {
    return new URL(origin).host === new URL(url).host
  } catch {
    return false
  }
}
