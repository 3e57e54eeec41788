import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Config } from '../core/config.ts'
import { type Bindings, parseConfig } from '../core/config.ts'
import type { PlatformCapabilities } from '../core/platform-capabilities.ts'
import type { RequestServices, Services } from '../core/services.ts'
import { errorFields } from '../core/telemetry/error-fields.ts'

/** Builds services for a configuration; `createServices` in production, fakes in tests. */
export type ServicesFactory = (config: Config, platform: PlatformCapabilities) => Promise<Services>

const noBindings: Bindings = Object.freeze({})

/**
 * Parses `c.env` into a `Config` and builds `Services` once per bindings object (Workers hands
 * the same object to every request of an isolate; the other entries pass one record), then
 * exposes them as `c.var.services`. An invalid configuration is not cached, so fixed bindings
 * take effect, and surfaces as a `config_invalid` error response. The gateway's middleware and
 * `/v1` routes read it with `c.get('services')`: Hono's `c.var` builds a new object of every
 * variable on each read (`Object.fromEntries`), a dozen times per request there.
 */
export function servicesMiddleware(options: {
  platform: PlatformCapabilities
  build: ServicesFactory
}): MiddlewareHandler<AppEnv> {
  const built = new WeakMap<object, Promise<Services>>()

  return async function services(c, next) {
    const bindings = (c.env as Bindings | undefined) ?? noBindings
    let pending = built.get(bindings)
    if (!pending) {
      pending = Promise.resolve().then(() => options.build(parseConfig(bindings), options.platform))
      built.set(bindings, pending)
      pending.catch(() => built.delete(bindings))
    }
    const shared = await pending
    // The shared services as the prototype, not copied: a copy of their thirty-odd fields was
    // about 1% of a gateway request's CPU. Nothing enumerates them.
    const requestServices: RequestServices = Object.create(shared)
    // Spans and metric changes made by background work are handed on when it ends (on
    // Workers the isolate may stop right after).
    requestServices.defer = (p) =>
      deferOn(
        c,
        shared,
        p.finally(() => shared.telemetry.settle()),
      )
    c.set('services', requestServices)
    await next()
  }
}

function deferOn(
  c: Parameters<MiddlewareHandler<AppEnv>>[0],
  services: Services,
  promise: Promise<unknown>,
): void {
  const guarded = promise.catch((error: unknown) => {
    services.logger.error('background task failed', {
      request_id: c.get('requestId'),
      ...errorFields(error),
    })
  })
  let context: { waitUntil(p: Promise<unknown>): void } | undefined
  try {
    context = c.executionCtx
  } catch {
    // `app.request()` without an execution context (unit tests): the guarded promise still
    // settles on its own; there is no platform lifetime to extend.
  }
  context?.waitUntil(guarded)
}
