import { announcesEnd, endedListeners } from '../../middleware/stream-end-listeners.ts'
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

/**
 * A streamed response body from an async sequence of strings. Stops pulling (and aborts
 * `controller`, which stops the run-log tail) when the client goes away. With `heartbeat`,
 * its text fills every silence, so the connection never looks idle.
 *
 * The heartbeat is one timer per stream that enqueues its text itself while a pull waits on
 * the source, so the pieces pass straight from the source to the body: a wrapper that merged
 * beats into the sequence cost every piece a generator step and a promise.
 * A reader that is not reading (the queue full, no pull waiting) gets no beats, as before.
 *
 * The stream announces its end (`whenBodyEnds`), so the open-stream gauge needs no wrapper.
 */
export function textStream(
  source: (signal: AbortSignal) => AsyncIterable<string>,
  requestSignal?: AbortSignal,
  heartbeat?: StreamHeartbeat,
): ReadableStream<Uint8Array> {
  const controller = new AbortController()
  requestSignal?.addEventListener('abort', () => controller.abort(), { once: true })
  const encoder = new TextEncoder()
  let iterator: AsyncIterator<string> | undefined
  // Set while the queue is full: a reader that takes nothing for too long is cut off.
  let stalled: ReturnType<typeof setTimeout> | undefined
  // When the pull now waiting on the source began to wait; undefined while none waits.
  let waitingSince: number | undefined
  let beat: ReturnType<typeof setTimeout> | undefined
  const beatAfter = (ms: number, stream: ReadableStreamDefaultController<Uint8Array>) => {
    if (!heartbeat) return
    beat = setTimeout(() => {
      if (waitingSince === undefined) return beatAfter(heartbeat.everyMs, stream)
      const silent = Date.now() - waitingSince
      if (silent < heartbeat.everyMs) return beatAfter(heartbeat.everyMs - silent, stream)
      stream.enqueue(encoder.encode(heartbeat.text))
      waitingSince = Date.now()
      beatAfter(heartbeat.everyMs, stream)
    }, ms)
  }
  // Every way the stream ends passes here: read to the end, failed, stalled or cancelled.
  const stop = () => {
    clearTimeout(stalled)
    clearTimeout(beat)
    endedListeners(body)
  }
  const watch = (stream: ReadableStreamDefaultController<Uint8Array>) => {
    if ((stream.desiredSize ?? 1) > 0) return
    stalled = setTimeout(() => {
      stop()
      controller.abort()
      stream.error(new Error('the reader stopped reading'))
      void iterator?.return?.()
    }, STALLED_WRITE_MS)
  }
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(stream) {
        clearTimeout(stalled)
        if (!iterator) {
          iterator = source(controller.signal)[Symbol.asyncIterator]()
          beatAfter(heartbeat?.everyMs ?? 0, stream)
        }
        try {
          // Pieces may be empty: pull until there is something to send, so the stream never
          // stalls waiting for a pull that the queue will not ask for.
          for (;;) {
            if (heartbeat) waitingSince = Date.now()
            const next = await iterator.next()
            waitingSince = undefined
            if (next.done) {
              stop()
              return stream.close()
            }
            if (next.value) {
              stream.enqueue(encoder.encode(next.value))
              return watch(stream)
            }
          }
        } catch (error) {
          stop()
          controller.abort()
          stream.error(error)
        }
      },
      async cancel() {
        stop()
        controller.abort()
        await iterator?.return?.()
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: STREAM_BUFFER_BYTES }),
  )
  announcesEnd(body)
  return body
}
