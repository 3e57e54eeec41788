import { type Context, Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { constantTimeEqual } from '../core/auth/constant-time-equal.ts'
import { UnauthorizedError } from '../core/auth/unauthorized-error.ts'
import { AppError } from '../core/errors.ts'

/** The peer's IP address as the runtime saw it; absent where the runtime cannot tell. */
export type RemoteAddress = (c: Context<AppEnv>) => string | undefined

/**
 * `GET /metrics`: the Prometheus text exposition. With METRICS_TOKEN set, only a request
 * that presents it (`Authorization: Bearer <token>`) is served. Without it, only loopback
 * peers are: the socket's address as the runtime reports it (headers such as X-Forwarded-For
 * are ignored, since any client can send them). Workers have no socket address, so without a
 * token they refuse every scrape.
 */
export function metricsRoutes(options: { remoteAddress?: RemoteAddress }): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/metrics', async (c) => {
    const { config, telemetry } = c.var.services
    const token = config.METRICS_TOKEN
    if (token) {
      const given = /^Bearer (\S{1,512})$/.exec(c.req.header('Authorization') ?? '')?.[1] ?? ''
      if (!constantTimeEqual(given, token)) {
        c.header('WWW-Authenticate', 'Bearer realm="metrics"')
        throw new UnauthorizedError('Scraping /metrics needs Authorization: Bearer <METRICS_TOKEN>')
      }
    } else if (!isLoopback(options.remoteAddress?.(c))) {
      throw new AppError(
        'metrics_forbidden',
        'Without METRICS_TOKEN, /metrics answers loopback clients only',
        { status: 403, expose: true },
      )
    }
    c.header('Cache-Control', 'no-store')
    return c.body(await telemetry.metrics.render(), 200, {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    })
  })
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1'
}
