import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A span as the receiver keeps it: ids in hex, attributes flattened to plain values. */
export interface ReceivedSpan {
  traceId: string
  spanId: string
  parentSpanId: string | undefined
  name: string
  kind: number
  attributes: Record<string, unknown>
  status: { code?: number; message?: string }
  /** The `service.name` and other resource attributes of the export that carried it. */
  resource: Record<string, unknown>
}

/** A running receiver. `url` is what OTEL_EXPORTER_OTLP_ENDPOINT takes. */
export interface OtlpReceiver {
  url: string
  spans: ReceivedSpan[]
  /** Exports received (one per batch), and their request headers. */
  exports: { headers: Record<string, string | string[] | undefined> }[]
  /** Resolves with the spans once `predicate` holds for them; rejects after `timeoutMs`. */
  waitFor(
    predicate: (spans: ReceivedSpan[]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedSpan[]>
  reset(): void
  close(): Promise<void>
}

type AnyValue = {
  stringValue?: string
  intValue?: string | number
  doubleValue?: number
  boolValue?: boolean
  arrayValue?: { values?: AnyValue[] }
}
type KeyValue = { key: string; value: AnyValue }

/**
 * A minimal OpenTelemetry collector for tests: accepts OTLP/HTTP JSON on `POST /v1/traces`
 * (what Outpost's exporter sends), answers `{}` like a collector, and keeps every span.
 * Protobuf bodies are refused with 415, so a wrong content type fails loudly.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = []
  const exports: OtlpReceiver['exports'] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end()
        return
      }
      if (!req.headers['content-type']?.startsWith('application/json')) {
        res.writeHead(415).end()
        return
      }
      exports.push({ headers: req.headers })
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans?: {
          resource?: { attributes?: KeyValue[] }
          scopeSpans?: { spans?: Record<string, unknown>[] }[]
        }[]
      }
      for (const resourceSpans of body.resourceSpans ?? []) {
        const resource = flatten(resourceSpans.resource?.attributes)
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              traceId: String(span.traceId),
              spanId: String(span.spanId),
              parentSpanId: (span.parentSpanId as string | undefined) || undefined,
              name: String(span.name),
              kind: Number(span.kind),
              attributes: flatten(span.attributes as KeyValue[] | undefined),
              status: (span.status as ReceivedSpan['status']) ?? {},
              resource,
            })
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    exports,
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate(spans)) {
        if (Date.now() > deadline) {
          throw new Error(`spans never matched; got ${spans.map((s) => s.name).join(', ')}`)
        }
        await new Promise((r) => setTimeout(r, 25))
      }
      return spans
    },
    reset() {
      spans.length = 0
      exports.length = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function flatten(attributes: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, plainValue(value)]))
}

function plainValue(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue
  if (value.intValue !== undefined) return Number(value.intValue)
  if (value.doubleValue !== undefined) return value.doubleValue
  if (value.boolValue !== undefined) return value.boolValue
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plainValue)
  return undefined
}
