/**
 * Preloaded into Portkey on Node only (`--import`), so that its streams work there at all.
 * Portkey 1.15.2 appends its own headers to the upstream's streamed response as it came from
 * `fetch`, and on Node (20 and 22) such a response's headers are immutable: every stream
 * failed with "TypeError: immutable" (a 500). Bun's `fetch` answers with mutable headers. This
 * hands Portkey a copy of a streamed response (same body stream, same status and headers, now
 * mutable), which is what its code expects; other responses pass untouched. The copy costs
 * Portkey one `Response` and one `Headers` per stream.
 */
const upstreamFetch = globalThis.fetch
globalThis.fetch = async (input, init) => {
  const response = await upstreamFetch(input, init)
  if (!response.headers.get('content-type')?.includes('text/event-stream')) return response
  return new Response(response.body, response)
}
