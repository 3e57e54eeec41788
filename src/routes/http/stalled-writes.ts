/**
 * How long a stream's queue may stay full, the client taking nothing, before the stream is
 * closed: a reader that stops reading must not hold the run's events (and our memory) forever. A reconnect with
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
