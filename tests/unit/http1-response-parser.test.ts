import { describe, expect, it } from 'vitest'
import {
  Http1ParseError,
  type Http1ResponseHead,
  Http1ResponseParser,
} from '../../src/runtime/http1-response-parser.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

/** Feeds `wire` to a parser in the given pieces; what it handed on, and the bytes left over. */
function parse(wire: string, cuts: number[] = [], close = false) {
  const heads: Http1ResponseHead[] = []
  const body: number[] = []
  let ends = 0
  const parser = new Http1ResponseParser({
    head: (head) => heads.push(head),
    // Copied at once: the parser hands on views of the bytes it was fed.
    body: (piece) => body.push(...piece),
    end: () => ends++,
  })
  const all = bytes(wire)
  let extra = 0
  let at = 0
  for (const cut of [...cuts, all.length]) {
    extra += parser.feed(all.slice(at, cut))
    at = cut
  }
  if (close) parser.close()
  return {
    heads,
    body: new TextDecoder().decode(new Uint8Array(body)),
    ends,
    extra,
    done: parser.done,
  }
}

/** Every way of cutting `wire` in two, and byte by byte. */
function everyCut(wire: string): number[][] {
  const length = bytes(wire).length
  const cuts = Array.from({ length: length - 1 }, (_, i) => [i + 1])
  cuts.push(Array.from({ length: length - 1 }, (_, i) => i + 1))
  return cuts
}

const sized =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{"text":"héllo"}'
const chunked =
  'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n' +
  '7\r\ndata: a\r\n' +
  'A;name=value\r\n\n\ndata: bc\r\n' +
  '0\r\nx-trailer: 1\r\n\r\n'

describe('Http1ResponseParser', () => {
  it('reads a sized body, cut anywhere', () => {
    for (const cuts of everyCut(sized)) {
      const read = parse(sized, cuts)
      expect(read.heads).toEqual([
        {
          status: 200,
          rawHeaders: ['Content-Type', 'application/json', 'Content-Length', '17'],
          keepAlive: true,
        },
      ])
      expect(read.body).toBe('{"text":"héllo"}')
      expect(read.ends).toBe(1)
      expect(read.done).toBe(true)
    }
  })

  it('reads a chunked body with extensions and trailers, cut anywhere', () => {
    for (const cuts of everyCut(chunked)) {
      const read = parse(chunked, cuts)
      expect(read.heads[0]?.status).toBe(200)
      expect(read.body).toBe('data: a\n\ndata: bc')
      expect(read.ends).toBe(1)
      expect(read.extra).toBe(0)
    }
  })

  it('reads a body framed by the connection closing, and says the connection is spent', () => {
    const wire = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nall of it'
    for (const cuts of everyCut(wire)) {
      const open = parse(wire, cuts)
      expect(open.heads[0]?.keepAlive).toBe(false)
      expect(open.ends).toBe(0)
      const closed = parse(wire, cuts, true)
      expect(closed.body).toBe('all of it')
      expect(closed.ends).toBe(1)
    }
  })

  it('skips informational responses and ends bodiless ones at once', () => {
    const read = parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\ndate: x\r\n\r\n')
    expect(read.heads.map((head) => head.status)).toEqual([204])
    expect(read.ends).toBe(1)
    expect(parse('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n').ends).toBe(1)
  })

  it('keeps the connection only when the version and `Connection` allow it', () => {
    const keepAlive = (head: string) =>
      parse(`${head}\r\ncontent-length: 0\r\n\r\n`).heads[0]?.keepAlive
    expect(keepAlive('HTTP/1.1 200 OK')).toBe(true)
    expect(keepAlive('HTTP/1.1 200 OK\r\nConnection: Close')).toBe(false)
    expect(keepAlive('HTTP/1.1 200 OK\r\nconnection: upgrade, close')).toBe(false)
    expect(keepAlive('HTTP/1.0 200 OK')).toBe(false)
    expect(keepAlive('HTTP/1.0 200 OK\r\nconnection: keep-alive')).toBe(true)
  })

  it('counts bytes after the end, which make a connection unfit for reuse', () => {
    expect(parse(`${sized}HTTP/1.1 200 OK`).extra).toBe(15)
    expect(parse(sized).extra).toBe(0)
  })

  it('refuses what it cannot read safely', () => {
    const refused =
      (wire: string, close = false) =>
      () =>
        parse(wire, [], close)
    const error = (wire: string) => expect(refused(wire)).toThrow(Http1ParseError)
    error('SSH-2.0-OpenSSH\r\n\r\n')
    error('HTTP/2 200\r\n\r\n')
    error('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n')
    error('HTTP/1.1 200 OK\r\nbad name: x\r\n\r\n')
    error('HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n')
    error('HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n')
    error('HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n')
    error('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n')
    error('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nab\r\n')
    error('HTTP/1.1 101 Switching Protocols\r\n\r\n')
    error(`HTTP/1.1 200 OK\r\nx: ${'a'.repeat(20_000)}\r\n\r\n`)
    error(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1;${'e'.repeat(5000)}\r\n`)
    // A head that never ends is refused once it passes the limit, not buffered for ever.
    expect(refused(`HTTP/1.1 200 OK\r\nx: ${'a'.repeat(20_000)}`)).toThrow('too large')
    // A body cut short by the close.
    expect(refused('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc', true)).toThrow(
      'closed before the response ended',
    )
  })

  it('reads the next response on the connection after a reset', () => {
    const heads: number[] = []
    const parser = new Http1ResponseParser({
      head: (head) => heads.push(head.status),
      body: () => {},
      end: () => {},
    })
    parser.feed(bytes(sized))
    parser.reset()
    parser.feed(bytes('HTTP/1.1 429 Too Many Requests\r\ncontent-length: 2\r\n\r\n{}'))
    expect(heads).toEqual([200, 429])
    expect(parser.done).toBe(true)
  })
})
