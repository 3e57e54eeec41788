/**
 * Response bodies that say when they end. Seeing the end of any other stream takes a wrapper
 * stream in front of it, which costs every chunk one more read, promise and enqueue; a body
 * that registers here (the text streams every event-stream route sends) is watched for free.
 */
const listeners = new WeakMap<ReadableStream<Uint8Array>, (() => void)[]>()

/** Marks `body` as one that will call `endedListeners(body)` once it ends, however it ends. */
export function announcesEnd(body: ReadableStream<Uint8Array>): void {
  listeners.set(body, [])
}

/** Calls the listeners of `body` (once: they are dropped). Its own end calls this. */
export function endedListeners(body: ReadableStream<Uint8Array>): void {
  const waiting = listeners.get(body)
  if (!waiting) return
  listeners.delete(body)
  for (const listener of waiting) listener()
}

/**
 * Calls `listener` once `body` ends (read to the end, failed or cancelled), if `body`
 * announces its end; false if it does not, and then nothing will call `listener`.
 */
export function whenBodyEnds(body: ReadableStream<Uint8Array>, listener: () => void): boolean {
  const waiting = listeners.get(body)
  if (!waiting) return false
  waiting.push(listener)
  return true
}
