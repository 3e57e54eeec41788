import type { MiddlewareHandler } from 'hono'
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress'

/** Options of `responseCompression`. */
export interface CompressionOptions {
  /** A brotli compressor, where the runtime has one (Node and Bun, through node:zlib). */
  brotli?: () => TransformStream<Uint8Array, Uint8Array>
  /** Smallest body worth compressing, when its length is known. Default 1024 bytes. */
  threshold?: number
}

const noTransform = /(?:^|,)\s*no-transform\s*(?:,|$)/i
const jsonType = /^application\/(?:[\w.-]+\+)?json\b/i

/**
 * Compresses HTML, JSON, CSS and scripts with brotli (when given) or gzip, as the client
 * accepts. Never touches what must arrive as it is written: event streams (by type) and
 * streamed HTML (marked `Cache-Control: no-transform`), because a compressor holds bytes
 * back until its buffer fills. Workers leave this to Cloudflare's edge.
 */
export function responseCompression(options: CompressionOptions = {}): MiddlewareHandler {
  const threshold = options.threshold ?? 1024
  return async function responseCompression(c, next) {
    await next()
    const res = c.res
    const type = res.headers.get('Content-Type')
    const length = res.headers.get('Content-Length')
    // `res.body` is asked last, only when compressing: where the serving adapter keeps a
    // string body as it is until it writes it, asking for the body turns it into a stream
    // first, which costs more than the rest of this check on every uncompressed JSON answer.
    if (
      c.req.method === 'HEAD' ||
      res.status === 206 ||
      res.headers.has('Content-Encoding') ||
      !type ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) ||
      noTransform.test(res.headers.get('Cache-Control') ?? '') ||
      (length !== null && Number(length) < threshold)
    ) {
      return
    }
    const vary = res.headers.get('Vary')
    if (!vary?.toLowerCase().includes('accept-encoding')) {
      res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding')
    }
    const encoding = pick(c.req.header('Accept-Encoding') ?? '', options.brotli !== undefined)
    if (!encoding || !res.body) return
    // A JSON answer (`c.json`) comes whole but without its length: measure it, so a small one
    // (a completion of a few hundred bytes, about 0.14 ms of brotli at idle) goes out as is.
    if (length === null && jsonType.test(type)) {
      const bytes = new Uint8Array(await res.arrayBuffer())
      c.res = new Response(bytes, res)
      c.res.headers.set('Content-Length', String(bytes.byteLength))
      if (bytes.byteLength < threshold) return
    }
    const compressor =
      encoding === 'br' && options.brotli ? options.brotli() : new CompressionStream('gzip')
    const body = c.res.body as typeof res.body & object
    c.res = new Response(body.pipeThrough(compressor), c.res)
    c.res.headers.delete('Content-Length')
    c.res.headers.set('Content-Encoding', encoding)
    const etag = c.res.headers.get('ETag')
    if (etag && !etag.startsWith('W/')) c.res.headers.set('ETag', `W/${etag}`)
  }
}

/** The best encoding the client accepts (q > 0): brotli first when we have it, then gzip. */
function pick(header: string, brotli: boolean): 'br' | 'gzip' | undefined {
  // Load generators and most programs send none: nothing to parse.
  if (header === '') return undefined
  const accepted = new Map<string, number>()
  for (const part of header.slice(0, 256).split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1)
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0
  if (brotli && ok('br')) return 'br'
  if (ok('gzip')) return 'gzip'
  return undefined
}
