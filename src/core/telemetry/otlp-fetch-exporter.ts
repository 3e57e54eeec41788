import { type ExportResult, ExportResultCode } from '@opentelemetry/core'
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer'
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace'
import type { FetchFunction } from './fetch-function.ts'

/** Options of `createOtlpFetchExporter`. */
export interface OtlpFetchExporterOptions {
  /** The collector's base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `{endpoint}/v1/traces`. */
  endpoint: string
  /** Extra headers (OTEL_EXPORTER_OTLP_HEADERS), e.g. an API key of a hosted collector. */
  headers?: Record<string, string>
  timeoutMs?: number
  fetch?: FetchFunction
}

/**
 * An OTLP/HTTP JSON span exporter over `fetch`, the one network API all four runtimes share.
 * The encoding is OpenTelemetry's own (`JsonTraceSerializer`); only the transport is ours,
 * because `@opentelemetry/exporter-trace-otlp-http` sends with Node's http module on Node, Bun and
 * Deno and with XMLHttpRequest or `sendBeacon` in its browser build, neither of which Workers
 * have. The fetch is made with tracing suppressed by the caller (it runs outside any span).
 */
export function createOtlpFetchExporter(options: OtlpFetchExporterOptions): SpanExporter {
  const url = `${options.endpoint.replace(/\/+$/, '')}/v1/traces`
  const send = options.fetch ?? ((input, init) => fetch(input, init))
  const pending = new Set<Promise<void>>()

  const post = async (spans: ReadableSpan[]): Promise<ExportResult> => {
    const body = JsonTraceSerializer.serializeRequest(spans)
    if (!body) return { code: ExportResultCode.FAILED, error: new Error('serialization failed') }
    try {
      const response = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: body as Uint8Array<ArrayBuffer>,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      })
      await response.body?.cancel()
      return response.ok
        ? { code: ExportResultCode.SUCCESS }
        : {
            code: ExportResultCode.FAILED,
            error: new Error(`collector answered ${response.status}`),
          }
    } catch (error) {
      return { code: ExportResultCode.FAILED, error: error as Error }
    }
  }

  return {
    export(spans, resultCallback) {
      const sending = post(spans).then(resultCallback)
      pending.add(sending)
      void sending.finally(() => pending.delete(sending))
    },
    async forceFlush() {
      await Promise.all(pending)
    },
    async shutdown() {
      await Promise.all(pending)
    },
  }
}
