/**
 * How long one write to a client may stay blocked before the stream is closed: a reader that
 * stops reading must not hold the run's events (and our memory) forever. A reconnect with
 * `Last-Event-ID` resumes exactly, so closing loses nothing.
 */
export const STALLED_WRITE_MS = 30_000

/**
 * The most a text stream keeps queued for a slow reader, in bytes (not chunks): about three
 * chat-completion chunks. The socket buffers more behind it. Against 64 KB, this measured 4–6%
 * less CPU per stream at 200 clients on two runtimes (`bench/gateway/stream-ab.ts`), and it
 * holds less memory for each reader that lags.
 */
export const STREAM_BUFFER_BYTES = 1024

/** Whether `write` finished within `ms`; a write still pending then counts as stalled. */
export async function writtenWithin(write: Promise<unknown>, ms = STALLED_WRITE_MS) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const stalled = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([write.then(() => true as const), stalled])
  } finally {
    clearTimeout(timer)
  }
}
