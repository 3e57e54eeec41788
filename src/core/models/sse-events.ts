/** One server-sent event: its `event` field (null when absent) and its data lines joined. */
export interface SseEvent {
  event: string | null
  data: string
}

/**
 * The events of an SSE body, decoded by hand, as one batch per read of the body: every event
 * the read completed. Lines split on `\n`, `\r\n` or `\r`; `data:` lines gathered until a
 * blank line; comments and `id`/`retry` skipped. The SDKs' own decoders copy and re-scan the
 * bytes several times per chunk and were about a third of a busy gateway's CPU while
 * streaming; this reads each decoded character once. A provider's frames arrive several to a
 * read whenever it writes faster than we read (about eight a read from the bench's mock
 * under load), and a caller can handle them as one. Leaving early (`return()`) cancels the body, so the upstream
 * request ends too.
 */
export async function* sseEventBatches(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<SseEvent[]> {
  const reader = chunkReader(body)
  const decoder = new TextDecoder()
  let buffer = ''
  let event: string | null = null
  // The event's data lines so far, joined (most events have one); undefined before the first.
  let data: string | undefined
  let finished = false
  const addData = (value: string) => {
    data = data === undefined ? value : `${data}\n${value}`
  }
  // Returns the event a blank line completes, if it has data.
  const line = (text: string): SseEvent | undefined => {
    if (text === '') {
      const done = data !== undefined ? { event, data } : undefined
      event = null
      data = undefined
      return done
    }
    if (text.charCodeAt(0) === 58 /* ':' comment */) return undefined
    const colon = text.indexOf(':')
    const field = colon < 0 ? text : text.slice(0, colon)
    let value = colon < 0 ? '' : text.slice(colon + 1)
    if (value.charCodeAt(0) === 32) value = value.slice(1)
    if (field === 'data') addData(value)
    else if (field === 'event') event = value
    return undefined
  }
  try {
    for (;;) {
      const step = await reader.read()
      if (step.done) {
        finished = true
        buffer += decoder.decode()
      } else {
        buffer += decoder.decode(step.value, { stream: true })
      }
      const batch: SseEvent[] = []
      let start = 0
      // Where the next `\r` is, found once per pass: most streams have none.
      let cr = buffer.indexOf('\r')
      for (;;) {
        if (cr >= 0 && cr < start) cr = buffer.indexOf('\r', start)
        const lf = buffer.indexOf('\n', start)
        let end: number
        let next: number
        if (cr >= 0 && (lf < 0 || cr < lf)) {
          // A `\r` at the very end may be the first half of `\r\n`: wait for more.
          if (cr === buffer.length - 1 && !finished) break
          end = cr
          next = buffer.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1
        } else if (lf >= 0) {
          end = lf
          next = lf + 1
        } else {
          break
        }
        // `data: ` lines, nearly all of a stream, are cut from the buffer once.
        let done: SseEvent | undefined
        if (end > start + 6 && buffer.startsWith('data: ', start)) {
          addData(buffer.slice(start + 6, end))
        } else {
          done = line(buffer.slice(start, end))
        }
        start = next
        if (done) batch.push(done)
      }
      buffer = start === 0 ? buffer : buffer.slice(start)
      if (finished) {
        // A last event cut off before its blank line still counts.
        if (buffer !== '') line(buffer)
        const done = line('')
        if (done) batch.push(done)
      }
      if (batch.length > 0) yield batch
      if (finished) return
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {})
    reader.release()
  }
}

interface ChunkReader {
  read(): Promise<IteratorResult<Uint8Array, unknown>>
  cancel(): Promise<unknown>
  release(): void
}

/** One way to read either kind of body: a web stream through its own reader, else its iterator. */
function chunkReader(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): ChunkReader {
  if ('getReader' in body) {
    const reader = body.getReader()
    return {
      read: () => reader.read() as Promise<IteratorResult<Uint8Array, unknown>>,
      cancel: () => reader.cancel(),
      release: () => reader.releaseLock(),
    }
  }
  const iterator = body[Symbol.asyncIterator]()
  return {
    read: () => iterator.next(),
    cancel: async () => iterator.return?.(),
    release: () => {},
  }
}
