import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import type { Context, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { AppEnv } from '../app-env.ts'
import { whenBodyEnds } from './stream-end-listeners.ts'

/**
 * Measures each request by method, matched route pattern (never the raw path, which would
 * make a series per conversation id) and status, counts open SSE streams until they close,
 * and, with tracing on, makes the request the root span of its trace: a `traceparent` header
 * from the caller is honoured, so the request joins the caller's trace. Mounted after the
 * services middleware; hands buffered telemetry on through `services.defer` when done.
 */
export function requestTelemetry(options: { now?: () => number } = {}): MiddlewareHandler<AppEnv> {
  const now = options.now ?? (() => performance.now())
  return async function observeRequest(c, next) {
    const { telemetry } = c.get('services')
    const started = now()
    const tracing = telemetry.tracing
    const method = c.req.method
    const span = tracing?.tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': method,
          'url.path': c.req.path,
          'url.scheme': c.req.url.startsWith('https:') ? 'https' : 'http',
        },
      },
      tracing.extract(c.req.raw.headers),
    )
    try {
      if (span) await context.with(trace.setSpan(context.active(), span), next)
      else await next()
    } finally {
      const route = routeOf(c)
      const status = c.res.status
      telemetry.metrics.httpRequestDuration.observe(
        { method, route, status: String(status) },
        (now() - started) / 1000,
      )
      // The type first: asking a JSON answer for its body can make a stream of it.
      const body = c.res.headers.get('content-type')?.startsWith('text/event-stream')
        ? c.res.body
        : null
      if (body) {
        const close = openStream(telemetry.metrics.openConnections)
        if (!whenBodyEnds(body, close)) c.res = withEnd(c.res, body, close)
      }
      if (span) {
        span.updateName(`${method} ${route}`)
        span.setAttributes({ 'http.route': route, 'http.response.status_code': status })
        if (status >= 500) {
          span.setAttribute('error.type', String(status))
          span.setStatus({ code: SpanStatusCode.ERROR })
        }
        span.end()
      }
      c.get('services').defer(telemetry.settle())
    }
  }
}

/** The pattern of the route that answered (`/c/:id`), or `unmatched` for a 404. */
function routeOf(c: Context<AppEnv>): string {
  // Middleware is registered for every method; the handler that answered is the last route
  // registered for a method.
  const routes = matchedRoutes(c)
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]
    if (route && route.method !== 'ALL') return route.path
  }
  return 'unmatched'
}

/** Counts one open event stream; the function it returns uncounts it (once). */
function openStream(gauge: { add(labels: { kind: string }, value: number): void }): () => void {
  const labels = { kind: 'sse' }
  gauge.add(labels, 1)
  let open = true
  return () => {
    if (open) gauge.add(labels, -1)
    open = false
  }
}

/**
 * The response with its body behind a stream that calls `close` when the body ends: for a
 * body that does not announce its end itself (or has already ended).
 */
function withEnd(response: Response, body: ReadableStream<Uint8Array>, close: () => void) {
  // A client that goes away cancels the stream; one that reads to the end sees `done`.
  const reader = body.getReader()
  const watched = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (!done) return controller.enqueue(value)
        close()
        controller.close()
      } catch (error) {
        close()
        controller.error(error)
      }
    },
    cancel(reason) {
      close()
      return reader.cancel(reason)
    },
  })
  return new Response(watched, response)
}
