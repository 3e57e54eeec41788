/** A response's status line and headers, as an HTTP/1.1 server sent them. */
export interface Http1ResponseHead {
  status: number
  /** Name and value pairs in the order sent; names as sent (compare them case-insensitively). */
  rawHeaders: string[]
  /** Whether the connection may carry another request once this response's body has ended. */
  keepAlive: boolean
}

/** What the parser hands on as the bytes of a response arrive. */
export interface Http1ResponseHandler {
  head(head: Http1ResponseHead): void
  /** A piece of the body, with its framing removed; a view of the bytes read, not a copy. */
  body(bytes: Uint8Array): void
  /** The body has ended (by its length, its last chunk, or the connection's close). */
  end(): void
}

/** Longest status line and headers accepted, as in Node's HTTP parser. */
const MAX_HEAD_BYTES = 16 * 1024
/** Longest chunk-size line (with extensions) or trailer section accepted. */
const MAX_LINE_BYTES = 4 * 1024

const CR = 13
const LF = 10

/** A malformed or unsupported response: the connection cannot be trusted after it. */
export class Http1ParseError extends Error {
  override name = 'Http1ParseError'
}

type State =
  | 'head'
  | 'length'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-end'
  | 'trailers'
  | 'until-close'
  | 'done'

const latin1 = new TextDecoder('latin1')

/**
 * Reads one HTTP/1.1 response from the bytes of a connection, fed as they arrive in pieces of
 * any size: the head, then the body by its framing (`Content-Length`, chunked, or up to the
 * connection's close), handing on body bytes without copying them. Informational (1xx)
 * responses before the final one are skipped. It reads responses to requests that are not
 * HEAD and not CONNECT, which is all a provider call sends.
 */
export class Http1ResponseParser {
  #state: State = 'head'
  /** Bytes of a head or of a line not yet complete. */
  #pending: Uint8Array | undefined
  #remaining = 0
  readonly #handler: Http1ResponseHandler

  constructor(handler: Http1ResponseHandler) {
    this.#handler = handler
  }

  /** Ready for the next response on the same connection. */
  reset(): void {
    this.#state = 'head'
    this.#pending = undefined
    this.#remaining = 0
  }

  /** Whether the response has been read to its end. */
  get done(): boolean {
    return this.#state === 'done'
  }

  /**
   * Reads the next bytes. Returns how many bytes followed the end of the response (0 when it
   * has not ended): on a kept-alive connection a server sends nothing unasked, so any such
   * bytes make the connection unfit for another request. Throws `Http1ParseError`.
   */
  feed(bytes: Uint8Array): number {
    let at = 0
    while (at < bytes.length) {
      switch (this.#state) {
        case 'head': {
          const end = this.#lineEnd(bytes, at, MAX_HEAD_BYTES, true)
          if (end < 0) return 0
          at = end
          this.#readHead(this.#take())
          break
        }
        case 'length': {
          const n = Math.min(this.#remaining, bytes.length - at)
          this.#handler.body(bytes.subarray(at, at + n))
          at += n
          this.#remaining -= n
          if (this.#remaining === 0) this.#finish()
          break
        }
        case 'chunk-size': {
          const end = this.#lineEnd(bytes, at, MAX_LINE_BYTES, false)
          if (end < 0) return 0
          at = end
          const size = chunkSize(this.#take())
          if (size === 0) {
            this.#state = 'trailers'
            this.#pending = new Uint8Array(0)
          } else {
            this.#remaining = size
            this.#state = 'chunk-data'
          }
          break
        }
        case 'chunk-data': {
          const n = Math.min(this.#remaining, bytes.length - at)
          this.#handler.body(bytes.subarray(at, at + n))
          at += n
          this.#remaining -= n
          if (this.#remaining === 0) this.#state = 'chunk-end'
          break
        }
        case 'chunk-end': {
          // The chunk's data must be followed by `\r\n` alone.
          const end = this.#lineEnd(bytes, at, MAX_LINE_BYTES, false)
          if (end < 0) return 0
          at = end
          if (this.#take().length !== 2) {
            throw new Http1ParseError('chunk data longer than its size')
          }
          this.#state = 'chunk-size'
          break
        }
        case 'trailers': {
          // Trailer fields are read past, line by line, up to the empty line.
          const end = this.#lineEnd(bytes, at, MAX_LINE_BYTES, false)
          if (end < 0) return 0
          at = end
          if (this.#take().length === 2) this.#finish()
          break
        }
        case 'until-close':
          this.#handler.body(at === 0 ? bytes : bytes.subarray(at))
          return 0
        case 'done':
          return bytes.length - at
      }
    }
    return 0
  }

  /** The connection closed: ends a body read up to the close, else fails an unfinished one. */
  close(): void {
    if (this.#state === 'until-close') this.#finish()
    else if (this.#state !== 'done') {
      throw new Http1ParseError('connection closed before the response ended')
    }
  }

  /**
   * Gathers bytes from `at` up to and including a line's `\r\n` (or, for a head, its blank
   * line) into `#pending`. Returns the index after it, or -1 when the bytes ran out first.
   */
  #lineEnd(bytes: Uint8Array, at: number, limit: number, blankLine: boolean): number {
    const pending = this.#pending
    const before = pending?.length ?? 0
    // The byte `back` places before index `i` of `bytes`, reaching into what is pending.
    const byteBefore = (i: number, back: number) =>
      i - back >= at ? bytes[i - back] : pending?.[before - (back - (i - at))]
    let end = -1
    for (let lf = bytes.indexOf(LF, at); lf >= 0; lf = bytes.indexOf(LF, lf + 1)) {
      if (byteBefore(lf, 1) !== CR) continue
      // A head ends at `\r\n\r\n`: the two bytes before this `\r` are `\r\n` too.
      if (blankLine && (byteBefore(lf, 2) !== LF || byteBefore(lf, 3) !== CR)) continue
      end = lf + 1
      break
    }
    const stop = end < 0 ? bytes.length : end
    if (before + (stop - at) > limit) {
      throw new Http1ParseError(blankLine ? 'response head too large' : 'response line too long')
    }
    const piece = bytes.subarray(at, stop)
    if (before === 0) {
      // Kept beyond this read only when incomplete: then it must not be a view of the read.
      this.#pending = end < 0 ? piece.slice() : piece
    } else {
      const joined = new Uint8Array(before + piece.length)
      joined.set(pending as Uint8Array)
      joined.set(piece, before)
      this.#pending = joined
    }
    return end
  }

  #take(): Uint8Array {
    const bytes = this.#pending ?? new Uint8Array(0)
    this.#pending = undefined
    return bytes
  }

  #readHead(bytes: Uint8Array): void {
    const lines = latin1.decode(bytes).split('\r\n')
    const statusLine = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: .*)?$/.exec(lines[0] ?? '')
    if (!statusLine) throw new Http1ParseError('not an HTTP/1.x status line')
    const status = Number(statusLine[2])
    const rawHeaders: string[] = []
    let length: number | undefined
    let chunked = false
    let connection = ''
    // The head ends with `\r\n\r\n`: its last two lines are empty.
    for (let i = 1; i < lines.length - 2; i++) {
      const line = lines[i] as string
      const colon = line.indexOf(':')
      if (colon <= 0) throw new Http1ParseError('malformed header line')
      const name = line.slice(0, colon)
      const value = line.slice(colon + 1).trim()
      if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name)) throw new Http1ParseError('malformed header name')
      rawHeaders.push(name, value)
      const lower = name.toLowerCase()
      if (lower === 'content-length') {
        if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== Number(value))) {
          throw new Http1ParseError('invalid content-length')
        }
        length = Number(value)
      } else if (lower === 'transfer-encoding') {
        const codings = value
          .toLowerCase()
          .split(',')
          .map((coding) => coding.trim())
        // Only chunked framing is read; a body in another coding would be handed on encoded.
        if (codings.some((coding) => coding !== 'chunked')) {
          throw new Http1ParseError(`unsupported transfer-encoding: ${value}`)
        }
        chunked = true
      } else if (lower === 'connection') {
        connection += `${value.toLowerCase()},`
      }
    }
    // An informational response is followed by the real one on the same connection.
    if (status < 200 && status !== 101) {
      this.#state = 'head'
      return
    }
    if (status === 101) throw new Http1ParseError('unexpected protocol switch')
    const http10 = statusLine[1] === '0'
    const tokens = connection.split(',').map((token) => token.trim())
    let keepAlive = http10 ? tokens.includes('keep-alive') : !tokens.includes('close')
    if (status === 204 || status === 304) {
      this.#handler.head({ status, rawHeaders, keepAlive })
      this.#finish()
      return
    }
    if (chunked) {
      this.#state = 'chunk-size'
    } else if (length !== undefined) {
      this.#remaining = length
      this.#state = 'length'
    } else {
      // Neither framing: the body is everything up to the close.
      keepAlive = false
      this.#state = 'until-close'
    }
    this.#handler.head({ status, rawHeaders, keepAlive })
    if (this.#state === 'length' && length === 0) this.#finish()
  }

  #finish(): void {
    this.#state = 'done'
    this.#handler.end()
  }
}

/** The size in a chunk-size line (`1a;ext=1\r\n`), extensions ignored. */
function chunkSize(line: Uint8Array): number {
  const text = latin1.decode(line.subarray(0, line.length - 2))
  const semicolon = text.indexOf(';')
  const digits = (semicolon < 0 ? text : text.slice(0, semicolon)).trim()
  if (!/^[0-9a-fA-F]{1,12}$/.test(digits)) throw new Http1ParseError('invalid chunk size')
  return Number.parseInt(digits, 16)
}
