import { describe, expect, it } from 'vitest'
import { createPgFrontendFramer } from '../support/pg-frontend-framer.ts'

function startup(): Buffer {
  const params = Buffer.from('user\0postgres\0database\0test\0\0')
  const header = Buffer.alloc(8)
  header.writeInt32BE(8 + params.length, 0)
  header.writeInt32BE(196608, 4)
  return Buffer.concat([header, params])
}

function typed(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5)
  header.write(type, 0)
  header.writeInt32BE(4 + body.length, 1)
  return Buffer.concat([header, body])
}

const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])
const terminate = typed('X', Buffer.alloc(0))

describe('pg frontend framer', () => {
  it('sees Terminate only as a message, not as an X byte inside a query', () => {
    const framer = createPgFrontendFramer()
    expect(framer.push(startup())).toBe(false)
    expect(framer.push(typed('Q', Buffer.from("select 'X'\0")))).toBe(false)
    // A body that happens to end like a Terminate message.
    expect(framer.push(typed('Q', Buffer.from([0x58, 0, 0, 0, 4])))).toBe(false)
    expect(framer.push(terminate)).toBe(true)
  })

  it('follows messages split across and coalesced into frames', () => {
    const framer = createPgFrontendFramer()
    const stream = Buffer.concat([
      sslRequest,
      startup(),
      typed('p', Buffer.from('secret\0')),
      typed('Q', Buffer.alloc(70_000, 0x58)),
      terminate,
    ])
    const seen: boolean[] = []
    for (let i = 0; i < stream.length; i += 3) seen.push(framer.push(stream.subarray(i, i + 3)))
    expect(seen.filter(Boolean)).toHaveLength(1)
    expect(seen.at(-1)).toBe(true)
  })

  it('treats the startup message as untyped even when its length byte looks like X', () => {
    const framer = createPgFrontendFramer()
    const params = Buffer.alloc(0x58 - 8, 1)
    const header = Buffer.alloc(8)
    header.writeInt32BE(0x58, 0)
    header.writeInt32BE(196608, 4)
    expect(framer.push(Buffer.concat([header, params]))).toBe(false)
    expect(framer.push(Buffer.concat([typed('S', Buffer.alloc(0)), terminate]))).toBe(true)
  })
})
