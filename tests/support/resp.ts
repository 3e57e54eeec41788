/**
 * RESP2, the Redis wire protocol: an encoder for commands and an incremental parser for
 * replies. Bulk replies stay `Buffer`s so the caller decides how to encode them (UTF-8 text or
 * base64), which matters for binary values and for Upstash's base64 response encoding.
 */

/** A `-ERR ...` reply. Kept as a value: inside a pipeline or EXEC it is one item among many. */
export class RespError {
  constructor(readonly message: string) {}
}

/** A `+OK` style simple-string reply, kept apart from bulk strings so `OK` can stay raw. */
export class RespStatus {
  constructor(readonly text: string) {}
}

/** One parsed reply. `null` is the nil bulk string or the nil array. */
export type RespReply = RespStatus | RespError | number | Buffer | null | RespReply[]

const CRLF = Buffer.from('\r\n')

/** Encodes one command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)]
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'utf8') : arg
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF)
  }
  return Buffer.concat(parts)
}

const incomplete = Symbol('incomplete')

/**
 * Accumulates bytes from a socket and yields complete replies in order. A reply split over
 * several chunks is parsed again from its start once more bytes arrive; replies are parsed
 * lazily, so a large bulk string costs one concatenation per chunk, not per byte.
 */
export class RespParser {
  private buffer: Buffer = Buffer.alloc(0)

  /** Adds bytes and returns every reply they complete. */
  push(chunk: Buffer): RespReply[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk])
    const replies: RespReply[] = []
    let offset = 0
    while (offset < this.buffer.length) {
      const parsed = parseAt(this.buffer, offset)
      if (parsed === incomplete) break
      replies.push(parsed.value)
      offset = parsed.next
    }
    this.buffer = this.buffer.subarray(offset)
    return replies
  }
}

type Parsed = { value: RespReply; next: number } | typeof incomplete

function parseAt(buffer: Buffer, offset: number): Parsed {
  const lineEnd = buffer.indexOf(CRLF, offset)
  if (lineEnd === -1) return incomplete
  const type = buffer[offset]
  const line = buffer.toString('utf8', offset + 1, lineEnd)
  const afterLine = lineEnd + 2
  switch (type) {
    case 0x2b: // +
      return { value: new RespStatus(line), next: afterLine }
    case 0x2d: // -
      return { value: new RespError(line), next: afterLine }
    case 0x3a: // :
      return { value: Number(line), next: afterLine }
    case 0x24: {
      // $
      const length = Number(line)
      if (length < 0) return { value: null, next: afterLine }
      if (buffer.length < afterLine + length + 2) return incomplete
      return {
        value: Buffer.from(buffer.subarray(afterLine, afterLine + length)),
        next: afterLine + length + 2,
      }
    }
    case 0x2a: {
      // *
      const count = Number(line)
      if (count < 0) return { value: null, next: afterLine }
      const items: RespReply[] = []
      let next = afterLine
      for (let i = 0; i < count; i++) {
        const item = parseAt(buffer, next)
        if (item === incomplete) return incomplete
        items.push(item.value)
        next = item.next
      }
      return { value: items, next }
    }
    default:
      throw new Error(`RESP protocol error: unexpected type byte ${type}`)
  }
}
