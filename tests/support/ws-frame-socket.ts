import WebSocket from 'ws'
import type { ServerFrame } from '../../src/routes/socket/chat-socket-frames.ts'
import { createFrameQueue, encodeFrame, type FrameSocket } from './frame-socket.ts'

/** A refused upgrade: the HTTP status and body the server answered instead. */
export interface RefusedUpgrade {
  status: number
  body: string
}

/**
 * Opens a real WebSocket (the `ws` package: Node 20 has no global client) and resolves once it
 * is open, or with the HTTP answer when the server refuses the upgrade.
 */
export function openWebSocket(
  url: string,
  headers: Record<string, string> = {},
): Promise<FrameSocket | RefusedUpgrade> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    const frames = createFrameQueue()
    const closed = new Promise<number>((done) => socket.once('close', (code) => done(code)))
    socket.on('message', (data, isBinary) => {
      if (!isBinary) frames.push(JSON.parse(data.toString()) as ServerFrame)
    })
    socket.once('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString()
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    socket.on('error', reject) // only the first call counts; later ones end in 'close'
    socket.once('open', () =>
      resolve({
        send: (frame) => socket.send(encodeFrame(frame)),
        next: frames.next,
        closed,
        async close() {
          socket.close(1000)
          await closed
        },
      }),
    )
  })
}

/** Whether an `openWebSocket` answer is a refusal. */
export function isRefused(opened: FrameSocket | RefusedUpgrade): opened is RefusedUpgrade {
  return 'status' in opened
}
