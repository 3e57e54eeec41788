import { announcesEnd, endedListeners } from '../../middleware/stream-end-listeners.ts'
import { STALLED_WRITE_MS, STREAM_BUFFER_BYTES } from './stalled-writes.ts'

/** A keep-alive for `textStream`: `text` is sent after every `everyMs` of silence. */
export interface StreamHeartbeat {
  everyMs: number
  text: string
}

/** How a text stream hands its pieces to the server. */
export interface TextStreamOptions {
  /** Aborts the source (and so the run-log tail) when the request goes away. */
  signal?: AbortSignal
  /** Fills every silence of the source with its text, so the connection never looks idle. */
  heartbeat?: StreamHeartbeat
  /**
   * Writes each piece straight to the socket: a `type: 'direct'` stream, with no queue, no
   * encoding and no pull per piece (`Services.directStreams`: only where the server reads
   * such streams, Bun's). About 6–8% less CPU per stream there at 200 clients.
   */
  direct?: boolean
  /**
   * The first piece, known before the source is read (a stream's opening frame): written as
   * soon as the server asks for the body, instead of after a turn through the source, which
   * waited behind the request's other queued work (about 0.1 ms before the first byte, idle).
   */
  first?: string
}

/** The sink of a `type: 'direct'` stream: a write answers a promise while the socket is full. */
interface DirectSink {
  write(text: string): number | Promise<number>
  close(error?: Error): void
}

/**
 * A streamed response body from an async sequence of strings. Stops pulling (and aborts the
 * source's signal) when the client goes away. A reader that takes nothing for
 * `STALLED_WRITE_MS` while the stream cannot write is cut off, and the source is ended.
 *
 * The heartbeat is one timer per stream that writes its text itself while the stream waits on
 * the source, so the pieces pass straight from the source to the body: a wrapper that merged
 * beats into the sequence cost every piece a generator step and a promise. A reader that is
 * not reading (nothing waiting on the source) gets no beats.
 *
 * The stream announces its end (`whenBodyEnds`), so the open-stream gauge needs no wrapper.
 */
export function textStream(
  source: (signal: AbortSignal) => AsyncIterable<string>,
  options: TextStreamOptions = {},
): ReadableStream<Uint8Array> {
  const controller = new AbortController()
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true })
  let iterator: AsyncIterator<string> | undefined
  const next = () => {
    iterator ??= source(controller.signal)[Symbol.asyncIterator]()
    return iterator.next()
  }
  // Set while the stream cannot write: a reader that takes nothing for too long is cut off.
  let stalled: ReturnType<typeof setTimeout> | undefined
  let beats: Heartbeat | undefined
  let ended = false
  // Every way the stream ends passes here: read to the end, failed, stalled or cancelled.
  const stop = () => {
    ended = true
    clearTimeout(stalled)
    beats?.stop()
    endedListeners(body)
  }
  const cancel = async () => {
    stop()
    controller.abort()
    await iterator?.return?.()
  }
  const cutOffAfterStall = (fail: (error: Error) => void) => {
    stalled = setTimeout(() => {
      stop()
      controller.abort()
      fail(new Error('the reader stopped reading'))
      void iterator?.return?.()
    }, STALLED_WRITE_MS)
  }

  const body: ReadableStream<Uint8Array> = options.direct
    ? new ReadableStream({
        type: 'direct',
        // Called once by the server, which takes the whole body; each write goes to the socket.
        async pull(sink: DirectSink) {
          if (options.first) sink.write(options.first)
          beats = heartbeat(options.heartbeat, (text) => void sink.write(text))
          try {
            for (;;) {
              beats.waiting()
              const step = await next()
              beats.resumed()
              if (ended) return
              if (step.done) break
              if (!step.value) continue
              const written = sink.write(step.value)
              if (typeof written === 'number') continue
              cutOffAfterStall((error) => sink.close(error))
              await written
              clearTimeout(stalled)
              if (ended) return
            }
            stop()
            sink.close()
          } catch (error) {
            stop()
            controller.abort()
            sink.close(error as Error)
          }
        },
        cancel,
      } as unknown as UnderlyingDefaultSource<Uint8Array>)
    : queuedBody()

  function queuedBody() {
    const encoder = new TextEncoder()
    return new ReadableStream<Uint8Array>(
      {
        start(stream) {
          if (options.first) stream.enqueue(encoder.encode(options.first))
        },
        async pull(stream) {
          clearTimeout(stalled)
          beats ??= heartbeat(options.heartbeat, (text) => stream.enqueue(encoder.encode(text)))
          try {
            // Pieces may be empty: pull until there is something to send, so the stream never
            // stalls waiting for a pull that the queue will not ask for.
            for (;;) {
              beats.waiting()
              const step = await next()
              beats.resumed()
              if (step.done) {
                stop()
                return stream.close()
              }
              if (step.value) {
                stream.enqueue(encoder.encode(step.value))
                // The queue is full: the reader has STALLED_WRITE_MS to take from it.
                if ((stream.desiredSize ?? 1) <= 0) cutOffAfterStall((error) => stream.error(error))
                return
              }
            }
          } catch (error) {
            stop()
            controller.abort()
            stream.error(error)
          }
        },
        cancel,
      },
      new ByteLengthQueuingStrategy({ highWaterMark: STREAM_BUFFER_BYTES }),
    )
  }
  announcesEnd(body)
  return body
}

interface Heartbeat {
  /** The stream now waits on its source: beats may follow. */
  waiting(): void
  /** The source answered: no beats until it waits again. */
  resumed(): void
  stop(): void
}

/** Writes `beat.text` whenever the stream has waited `beat.everyMs` on its source. */
function heartbeat(beat: StreamHeartbeat | undefined, write: (text: string) => void): Heartbeat {
  if (!beat) return { waiting() {}, resumed() {}, stop() {} }
  let waitingSince: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const after = (ms: number) => {
    timer = setTimeout(() => {
      if (waitingSince === undefined) return after(beat.everyMs)
      const silent = Date.now() - waitingSince
      if (silent < beat.everyMs) return after(beat.everyMs - silent)
      write(beat.text)
      waitingSince = Date.now()
      after(beat.everyMs)
    }, ms)
  }
  after(beat.everyMs)
  return {
    waiting() {
      waitingSince = Date.now()
    },
    resumed() {
      waitingSince = undefined
    },
    stop() {
      clearTimeout(timer)
    },
  }
}
