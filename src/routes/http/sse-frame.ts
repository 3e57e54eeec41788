import { HEARTBEAT, withHeartbeat } from './heartbeat.ts'
import { STALLED_WRITE_MS, STREAM_BUFFER_BYTES } from './stalled-writes.ts'

/**
 * One server-sent event: `id:` (a run-log seq, so `Last-Event-ID` resumes exactly) and the
 * data split into `data:` lines (a line break inside the data would otherwise end the field).
 */
export function sseFrame(frame: { id?: number; data?: string; event?: string }): string {
  let text = ''
  if (frame.event) text += `event: ${frame.event}\n`
  if (frame.id !== undefined) text += `id: ${frame.id}\n`
  if (frame.data !== undefined) {
    for (const line of frame.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`
  }
  return `${text}\n`
}

/** Headers of every event stream we send. */
export const sseHeaders = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
}

/** A keep-alive for `textStream`: `text` is sent after every `everyMs` of silence. */
export interface StreamHeartbeat {
  everyMs: number
  text: string
}

async function* beating(pieces: AsyncIterable<string>, heartbeat: StreamHeartbeat) {
  for await (const piece of withHeartbeat(pieces, heartbeat.everyMs)) {
    yield piece === HEARTBEAT ? heartbeat.text : piece
  }
}

/**
 * A streamed response body from an async sequence of strings. Stops pulling (and aborts
 * `controller`, which stops the run-log tail) when the client goes away. With `heartbeat`,
 * its text fills every silence, so the connection never looks idle.
 */
export function textStream(
  source: (signal: AbortSignal) => AsyncIterable<string>,
  requestSignal?: AbortSignal,
  heartbeat?: StreamHeartbeat,
): ReadableStream<Uint8Array> {
  const pieces = heartbeat ? (signal: AbortSignal) => beating(source(signal), heartbeat) : source
  const controller = new AbortController()
  requestSignal?.addEventListener('abort', () => controller.abort(), { once: true })
  const encoder = new TextEncoder()
  let iterator: AsyncIterator<string> | undefined
  // Set while the queue is full: a reader that takes nothing for too long is cut off.
  let stalled: ReturnType<typeof setTimeout> | undefined
  const watch = (stream: ReadableStreamDefaultController<Uint8Array>) => {
    if ((stream.desiredSize ?? 1) > 0) return
    stalled = setTimeout(() => {
      controller.abort()
      stream.error(new Error('the reader stopped reading'))
      void iterator?.return?.()
    }, STALLED_WRITE_MS)
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(stream) {
        clearTimeout(stalled)
        iterator ??= pieces(controller.signal)[Symbol.asyncIterator]()
        try {
          // Pieces may be empty: pull until there is something to send, so the stream never
          // stalls waiting for a pull that the queue will not ask for.
          for (;;) {
            const next = await iterator.next()
            if (next.done) return stream.close()
            if (next.value) {
              stream.enqueue(encoder.encode(next.value))
              return watch(stream)
            }
          }
        } catch (error) {
          controller.abort()
          stream.error(error)
        }
      },
      async cancel() {
        clearTimeout(stalled)
        controller.abort()
        await iterator?.return?.()
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: STREAM_BUFFER_BYTES }),
  )
}
