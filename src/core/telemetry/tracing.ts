import {
  type Context,
  context,
  type defaultTextMapGetter,
  type defaultTextMapSetter,
  ROOT_CONTEXT,
  type Tracer,
} from '@opentelemetry/api'
import { suppressTracing, W3CTraceContextPropagator } from '@opentelemetry/core'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import type { FetchFunction } from './fetch-function.ts'
import { createOtlpFetchExporter } from './otlp-fetch-exporter.ts'

/** Options of `createTracing`. */
export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL. */
  endpoint: string
  headers?: Record<string, string>
  serviceName: string
  /** Recorded as a resource attribute, so one collector can tell the runtimes apart. */
  runtime: string
  fetch?: FetchFunction
  /** Longest wait before a batch is sent without a flush. Default 2 s. */
  scheduledDelayMs?: number
}

/** Spans for one configuration: a tracer, a flush, and W3C trace context in and out. */
export interface Tracing {
  readonly tracer: Tracer
  /** Sends every ended span now; what `services.defer` waits for on Workers. */
  flush(): Promise<void>
  /** The context of an incoming request's `traceparent` (the root context without one). */
  extract(headers: Headers): Context
  /** The `traceparent` (and `tracestate`) headers of the active span, for outgoing calls. */
  inject(headers: Headers): void
}

const propagator = new W3CTraceContextPropagator()

/**
 * OpenTelemetry tracing with a batch processor and the fetch-based OTLP/JSON exporter. The
 * provider is this configuration's own, never the global one, so two apps in one process
 * (tests) keep their spans apart. Parent links use the API's active context, which the
 * runtime entry backs with AsyncLocalStorage.
 */
export function createTracing(options: TracingOptions): Tracing {
  const exporter = createOtlpFetchExporter({
    endpoint: options.endpoint,
    headers: options.headers,
    fetch: options.fetch,
  })
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      'outpost.runtime': options.runtime,
    }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter,
        scheduledDelayMillis: options.scheduledDelayMs ?? 2000,
        maxQueueSize: 4096,
      }),
    ],
  })
  return {
    tracer: provider.getTracer('outpost'),
    // The export's own fetch must not be traced (nor carry a traceparent) itself.
    flush: () => context.with(suppressTracing(ROOT_CONTEXT), () => provider.forceFlush()),
    extract: (headers) => propagator.extract(ROOT_CONTEXT, headers, headerGetter),
    inject: (headers) => propagator.inject(context.active(), headers, headerSetter),
  }
}

const headerGetter: typeof defaultTextMapGetter = {
  get: (carrier, key) => (carrier as Headers).get(key) ?? undefined,
  keys: (carrier) => [...(carrier as Headers).keys()],
}

const headerSetter: typeof defaultTextMapSetter = {
  set: (carrier, key, value) => (carrier as Headers).set(key, value),
}
