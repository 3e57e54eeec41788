/**
 * Follows the framing of the PostgreSQL frontend (client -> server) stream so a proxy can tell
 * when the client has sent Terminate ('X'), without buffering message bodies. The stream starts
 * with untyped startup-phase messages (int32 length + int32 code: StartupMessage, SSLRequest,
 * GSSENCRequest, CancelRequest); after the StartupMessage every message is a type byte + int32
 * length that counts itself but not the type byte.
 */
export interface PgFrontendFramer {
  /** Consumes one chunk; returns true when a complete Terminate message ended in it. */
  push(chunk: Uint8Array): boolean
}

const sslRequestCode = 80877103
const gssEncRequestCode = 80877104
const terminate = 0x58

/** A framer at the start of a connection. */
export function createPgFrontendFramer(): PgFrontendFramer {
  let startupPhase = true
  let header = Buffer.alloc(0)
  let bodyLeft = 0
  let pendingTerminate = false

  return {
    push(chunk) {
      const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      let offset = 0
      let sawTerminate = false
      while (offset < data.length) {
        if (bodyLeft > 0) {
          const n = Math.min(bodyLeft, data.length - offset)
          bodyLeft -= n
          offset += n
          if (bodyLeft === 0 && pendingTerminate) {
            sawTerminate = true
            pendingTerminate = false
          }
          continue
        }
        const headerSize = startupPhase ? 8 : 5
        const take = data.subarray(offset, offset + headerSize - header.length)
        header = Buffer.concat([header, take])
        offset += take.length
        if (header.length < headerSize) break
        if (startupPhase) {
          const length = header.readInt32BE(0)
          const code = header.readInt32BE(4)
          if (code !== sslRequestCode && code !== gssEncRequestCode) startupPhase = false
          bodyLeft = Math.max(0, length - 8)
        } else {
          const type = header[0]
          bodyLeft = Math.max(0, header.readInt32BE(1) - 4)
          if (type === terminate) {
            if (bodyLeft === 0) sawTerminate = true
            else pendingTerminate = true
          }
        }
        header = Buffer.alloc(0)
      }
      return sawTerminate
    },
  }
}
