/**
 * What a direct provider call reads of its response: the status, the headers (an error's
 * request id, `retry-after`), and the body, as text or JSON or as it streams. A fetch
 * `Response` is one; a runtime's own transport may return a leaner object.
 */
export interface ProviderResponse {
  readonly ok: boolean
  readonly status: number
  readonly headers: Headers
  /** The body's bytes as they arrive; a web stream or any async iterable of chunks. */
  readonly body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null
  text(): Promise<string>
  json(): Promise<unknown>
}

/** One provider request as the direct calls send it: a JSON POST. */
export interface ProviderRequest {
  method: 'POST'
  headers: Record<string, string>
  body: string
  /** Aborts the request, and the body after it has arrived. */
  signal: AbortSignal
}

/**
 * Sends provider requests for the direct chat calls (see `openai-direct-completion.ts`).
 * `fetch` is one. A runtime passes its own when its `fetch` is costly: there, a request sent
 * with `fetch` cost about five times the CPU of one sent with its HTTP client.
 */
export type ProviderFetch = (url: string, init: ProviderRequest) => Promise<ProviderResponse>
