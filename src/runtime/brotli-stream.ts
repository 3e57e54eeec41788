import { Duplex } from 'node:stream'
import { constants, createBrotliCompress } from 'node:zlib'

/**
 * A brotli compressor as a web `TransformStream`, from node:zlib (Node, Bun and Deno have
 * it; `CompressionStream` only knows gzip and deflate). Quality 5: most of brotli's gain on
 * text at a fraction of the default (11)'s time, which matters for responses made per request.
 */
export function brotliStream(): TransformStream<Uint8Array, Uint8Array> {
  const zlib = createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
  return Duplex.toWeb(zlib) as unknown as TransformStream<Uint8Array, Uint8Array>
}
