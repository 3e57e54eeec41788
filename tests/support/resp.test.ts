import { describe, expect, it } from 'vitest'
import { encodeCommand, RespError, RespParser, RespStatus } from './resp.ts'

describe('RESP2 parser', () => {
  const wire = Buffer.concat([
    Buffer.from('+OK\r\n-ERR bad thing\r\n:42\r\n:-7\r\n$-1\r\n*-1\r\n$0\r\n\r\n'),
    Buffer.from('$6\r\nab\r\ncd\r\n'),
    Buffer.from('*3\r\n$2\r\nhi\r\n*2\r\n:1\r\n$-1\r\n-ERR inner\r\n'),
    Buffer.from([0x24, 0x33, 0x0d, 0x0a, 0xff, 0x00, 0xfe, 0x0d, 0x0a]),
    Buffer.from(`$${Buffer.byteLength('🚀漢')}\r\n🚀漢\r\n`),
  ])
  const expected = [
    new RespStatus('OK'),
    new RespError('ERR bad thing'),
    42,
    -7,
    null,
    null,
    Buffer.alloc(0),
    Buffer.from('ab\r\ncd'),
    [Buffer.from('hi'), [1, null], new RespError('ERR inner')],
    Buffer.from([0xff, 0x00, 0xfe]),
    Buffer.from('🚀漢'),
  ]

  it('parses every reply type from one chunk', () => {
    expect(new RespParser().push(wire)).toEqual(expected)
  })

  it('parses the same replies when split at every possible byte', () => {
    for (let cut = 1; cut < wire.length; cut++) {
      const parser = new RespParser()
      const replies = [...parser.push(wire.subarray(0, cut)), ...parser.push(wire.subarray(cut))]
      expect(replies).toEqual(expected)
    }
  })

  it('parses byte by byte', () => {
    const parser = new RespParser()
    const replies = [...wire].flatMap((byte) => parser.push(Buffer.from([byte])))
    expect(replies).toEqual(expected)
  })

  it('encodes commands as arrays of bulk strings, counting bytes not characters', () => {
    expect(encodeCommand(['SET', 'k', '🚀']).toString()).toBe(
      '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n🚀\r\n',
    )
  })
})
