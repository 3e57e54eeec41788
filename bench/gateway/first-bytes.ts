import { connect, type Socket } from 'node:net'
import { Http1ResponseParser } from '../../src/runtime/http1-response-parser.ts'
import type { LoadTarget } from './load.ts'

/** A request that has not ended by then counts as failed (and its connection is dropped). */
const REQUEST_TIMEOUT_MS = 10_000

// A chat-completion chunk whose delta carries text: `"content":"` and a character that does
// not end the string at once (the opening chunk's `"content":""` carries none).
const textDelta = /"content":\s*"(?!")/

/**
 * Time to the first body byte of `n` sequential streaming requests (ms, each), and time to the
 * first chunk that carries text: what a single chat user waits before text appears. The two
 * differ where the first byte is an opening chunk with no text (OpenAI's `role` chunk): the
 * upstream sends it before its text, a gateway that waits for the model's first event sends
 * its own with that text.
 *
 * The client is a raw HTTP/1.1 request on one kept-alive socket, read by Outpost's own response
 * parser, as wrk is for throughput. Node's `fetch` spent most of a millisecond of its own per
 * request on these two cores, and how much of it overlapped the server's work differed by
 * server: in two back-to-back runs of this phase, through `fetch` the upstream alone took
 * 1.16 ms to its first byte, the bare proxy's hop added 0.19 and Outpost 1.26 beyond it; read
 * raw, 0.23 ms, +0.52 and +0.24.
 */
export async function firstByteTimes(
  target: LoadTarget,
  n: number,
): Promise<{ times: number[]; textTimes: number[]; errors: number }> {
  const url = new URL(target.url)
  const body = Buffer.from(target.body)
  const head = [
    `POST ${url.pathname}${url.search} HTTP/1.1`,
    `host: ${url.host}`,
    'content-type: application/json',
    ...Object.entries(target.headers).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${body.length}`,
  ].join('\r\n')
  const request = Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body])
  const times: number[] = []
  const textTimes: number[] = []
  let errors = 0
  let socket: Socket | undefined
  for (let i = 0; i < n; i++) {
    socket ??= await opened(url)
    const timed = await exchange(socket, request).catch(() => undefined)
    if (!timed?.ok) {
      errors += 1
      socket.destroy()
      socket = undefined
      continue
    }
    times.push(timed.first)
    if (timed.text !== undefined) textTimes.push(timed.text)
    if (!timed.keepAlive) {
      socket.destroy()
      socket = undefined
    }
  }
  socket?.destroy()
  return { times, textTimes, errors }
}

function opened(url: URL): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || 80), url.hostname.replace(/^\[|\]$/g, ''))
    socket.setNoDelay(true)
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve(socket)
    })
    socket.once('error', reject)
  })
}

/** One request on `socket`: ms from the write to the first body byte and to the first text. */
function exchange(socket: Socket, request: Buffer) {
  return new Promise<{ ok: boolean; keepAlive: boolean; first: number; text?: number }>(
    (resolve, reject) => {
      const start = performance.now()
      const decoder = new TextDecoder()
      let status = 0
      let keepAlive = false
      let first: number | undefined
      let text: number | undefined
      let seen = ''
      const parser = new Http1ResponseParser({
        head: (head) => {
          status = head.status
          keepAlive = head.keepAlive
        },
        body: (bytes) => {
          if (bytes.length === 0) return
          first ??= performance.now() - start
          if (text !== undefined) return
          // Kept from the last piece too: a chunk's text may start across two reads.
          seen = seen.slice(-32) + decoder.decode(bytes, { stream: true })
          if (textDelta.test(seen)) text = performance.now() - start
        },
        end: () => {
          done()
          resolve({
            ok: status === 200,
            keepAlive,
            first: first ?? performance.now() - start,
            text,
          })
        },
      })
      const fail = (error: unknown) => {
        done()
        reject(error)
      }
      const onData = (bytes: Buffer) => {
        try {
          parser.feed(bytes)
        } catch (error) {
          fail(error)
        }
      }
      const onClose = () => fail(new Error('connection closed before the answer ended'))
      const timer = setTimeout(() => fail(new Error('no answer in time')), REQUEST_TIMEOUT_MS)
      function done() {
        clearTimeout(timer)
        socket.off('data', onData)
        socket.off('close', onClose)
        socket.off('error', fail)
      }
      socket.on('data', onData)
      socket.once('close', onClose)
      socket.once('error', fail)
      socket.write(request)
    },
  )
}
