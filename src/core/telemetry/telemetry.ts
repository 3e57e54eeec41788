import type { KvStore } from '../memory/kv-store.ts'
import type { FetchFunction } from './fetch-function.ts'
import { createLocalMetricStore } from './metric-store.ts'
import { createOutpostMetrics, type OutpostMetrics } from './outpost-metrics.ts'
import { createSharedMetricStore } from './shared-metric-store.ts'
import { createToolCallParents, type ToolCallParents } from './tool-call-parents.ts'
import type { Tracing } from './tracing.ts'

/**
 * Traces and metrics of one configuration. `tracing` is absent when no collector is
 * configured: nothing is wrapped for spans then, so tracing off costs nothing. Metrics are
 * always kept (in-process counters are cheap) and served on `/metrics`.
 */
export interface Telemetry {
  readonly tracing?: Tracing
  readonly metrics: OutpostMetrics
  /** Links tool spans to the model span that asked for them. */
  readonly toolCallParents: ToolCallParents
  /**
   * Hands buffered telemetry on: on Workers, where an isolate may stop once the response
   * and its `waitUntil` work are done, sends batched spans and adds metric changes to the
   * shared counters. Elsewhere a no-op (spans go in timed batches; metrics live in process).
   * `services.defer` calls it after each piece of background work and after each request.
   */
  settle(): Promise<void>
}

/** Options of `createTelemetry`. */
export interface TelemetryOptions {
  runtime: string
  /** OTEL_EXPORTER_OTLP_ENDPOINT; without it, no tracing. */
  endpoint?: string
  headers?: Record<string, string>
  serviceName: string
  /** Where Workers isolates add up their metrics; with it, metrics are shared. */
  sharedMetrics?: { kv: KvStore; flushIntervalMs: number }
  fetch?: FetchFunction
}

/**
 * Builds the telemetry of one configuration. The tracing SDK and its exporter are loaded only
 * when a collector is configured: about 70 ms of every start on Bun otherwise.
 */
export async function createTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const shared = options.sharedMetrics
  const metrics = createOutpostMetrics(
    shared
      ? createSharedMetricStore({ kv: shared.kv, flushIntervalMs: shared.flushIntervalMs })
      : createLocalMetricStore(),
  )
  const tracing = options.endpoint
    ? (await import('./tracing.ts')).createTracing({
        endpoint: options.endpoint,
        headers: options.headers,
        serviceName: options.serviceName,
        runtime: options.runtime,
        fetch: options.fetch,
      })
    : undefined
  const settles = options.runtime === 'workers'
  return {
    tracing,
    metrics,
    toolCallParents: createToolCallParents(),
    async settle() {
      if (!settles) return
      await Promise.all([tracing?.flush(), metrics.flush()])
    },
  }
}

/** Parses OTEL_EXPORTER_OTLP_HEADERS (`key=value,key2=value2`, values URL-encoded). */
export function parseOtlpHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf('=')
    if (at <= 0) continue
    headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(
      pair.slice(at + 1).trim(),
    )
  }
  return headers
}
