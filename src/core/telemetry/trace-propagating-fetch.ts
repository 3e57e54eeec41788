import type { FetchFunction } from './fetch-function.ts'
import type { Tracing } from './tracing.ts'

/**
 * A fetch that adds the active span's W3C `traceparent` to each request, for the provider SDK
 * clients: a provider (or a gateway in front of it) that traces joins the caller's trace.
 */
export function tracePropagatingFetch(tracing: Tracing): FetchFunction {
  return (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : {}))
    tracing.inject(headers)
    return fetch(input, { ...init, headers })
  }
}

/** The same for a transport whose requests carry their headers as a record (`ProviderFetch`). */
export function traceProviderFetch<Init extends { headers: Record<string, string> }, Result>(
  tracing: Tracing,
  inner: (url: string, init: Init) => Result,
): (url: string, init: Init) => Result {
  return (url, init) => {
    const headers = new Headers(init.headers)
    tracing.inject(headers)
    return inner(url, { ...init, headers: Object.fromEntries(headers) })
  }
}
