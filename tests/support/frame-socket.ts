import type { ServerFrame } from '../../src/routes/socket/chat-socket-frames.ts'

/** A `/chat` socket as a test drives it, over a real socket or in process. */
export interface FrameSocket {
  /** Sends a frame: objects as JSON text, strings as they are, bytes as a binary frame. */
  send(frame: unknown): void
  /** The first not-yet-taken frame that matches (waiting for it), taken out of the queue. */
  next(match?: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>
  /** Closes from the client side and resolves once closed. */
  close(): Promise<void>
  /** Resolves with the close code, whoever closed. */
  closed: Promise<number>
}

/** Opens a `/chat` socket as the named test identity. */
export type ConnectFrames = (identity: string) => Promise<FrameSocket>

/**
 * The queue behind a `FrameSocket`: frames arrive with `push`, tests take them with `next`. A
 * wait that times out fails with every frame still queued, which is what one needs to see.
 */
export function createFrameQueue() {
  const queue: ServerFrame[] = []
  const waiters = new Set<() => void>()
  return {
    push(frame: ServerFrame) {
      queue.push(frame)
      for (const wake of [...waiters]) wake()
    },
    async next(match: (frame: ServerFrame) => boolean = () => true, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const index = queue.findIndex(match)
        if (index >= 0) return queue.splice(index, 1)[0] as ServerFrame
        const left = deadline - Date.now()
        if (left <= 0) {
          throw new Error(`No matching frame; queued: ${JSON.stringify(queue).slice(0, 2000)}`)
        }
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer)
            waiters.delete(wake)
            resolve()
          }
          const timer = setTimeout(wake, left)
          waiters.add(wake)
        })
      }
    },
  }
}

/** Encodes what a test sends: objects as JSON, strings and bytes as they are. */
export function encodeFrame(frame: unknown): string | Uint8Array {
  if (typeof frame === 'string' || frame instanceof Uint8Array) return frame
  return JSON.stringify(frame)
}
