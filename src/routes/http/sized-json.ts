import type { Context } from 'hono'

const encoder = new TextEncoder()

/**
 * A JSON answer that states its length. `c.json` leaves the length to the server, so the
 * compression middleware cannot tell a 400-byte completion from a large one and compressed
 * every answer for the clients that accept it (the SDKs do): about 0.14 ms at idle on each
 * small completion, for a few hundred bytes saved. With its length known, only answers over
 * the compression threshold are compressed.
 */
export function sizedJson(c: Context, value: unknown, status: 200 = 200): Response {
  const bytes = encoder.encode(JSON.stringify(value))
  return c.body(bytes, status, {
    'content-type': 'application/json',
    'content-length': String(bytes.byteLength),
  })
}
