import { connect } from 'node:net'

/** A parsed HTTP/1.1 response. */
export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * Sends a hand-written HTTP/1.1 request over a socket and reads the response, without ever
 * finishing an oversized upload: `head` (request line + headers) and `bodyParts` are written,
 * then we wait for the answer. `fetch` cannot do this: it keeps writing while the server
 * rejects the body early and closes, which surfaces as EPIPE instead of the 413.
 */
export function rawExchange(
  baseUrl: string,
  head: string,
  bodyParts: readonly string[] = [],
  timeoutMs = 10_000,
): Promise<RawResponse> {
  const url = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) })
    let received = Buffer.alloc(0)
    const timer = setTimeout(
      () => finish(new Error(`no complete response in ${timeoutMs} ms`)),
      timeoutMs,
    )
    const finish = (error?: Error) => {
      clearTimeout(timer)
      socket.destroy()
      if (error) reject(error)
    }
    socket.on('connect', () => {
      socket.write(`${head.trim().replaceAll('\n', '\r\n')}\r\n\r\n`)
      for (const part of bodyParts) socket.write(part)
    })
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      const response = tryParse(received)
      if (response) {
        finish()
        resolve(response)
      }
    })
    // The server may reset the connection after answering; only a missing answer is a failure.
    socket.on('error', () => {})
    socket.on('close', () => {
      const response = tryParse(received)
      if (response) resolve(response)
      finish(
        response ? undefined : new Error(`connection closed before a full response: ${received}`),
      )
    })
  })
}

function tryParse(buffer: Buffer): RawResponse | undefined {
  const text = buffer.toString('latin1')
  const end = text.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n')
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':')
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]
    }),
  )
  const status = Number(statusLine.split(' ')[1])
  const rest = buffer.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'))
  if (headers['transfer-encoding']?.includes('chunked')) {
    const body = dechunk(rest)
    return body === undefined ? undefined : { status, headers, body }
  }
  const length = Number(headers['content-length'] ?? 0)
  if (rest.length < length) return undefined
  return { status, headers, body: rest.subarray(0, length).toString('utf8') }
}

function dechunk(data: Buffer): string | undefined {
  const parts: Buffer[] = []
  let offset = 0
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset)
    if (lineEnd < 0) return undefined
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16)
    if (Number.isNaN(size)) return undefined
    if (size === 0) return Buffer.concat(parts).toString('utf8')
    const start = lineEnd + 2
    if (data.length < start + size + 2) return undefined
    parts.push(data.subarray(start, start + size))
    offset = start + size + 2
  }
}
