/** What `collectWhenIdle` watches and calls; the runtime's server and collector. */
export interface IdleCollection {
  /** Requests in flight now. */
  inFlight(): number
  /** Requests received since the process started (a count that only grows). */
  received(): number
  /** The process's resident memory, in bytes. */
  residentBytes(): number
  /** A full, synchronous garbage collection. */
  collect(): void
}

/** How much the process must have grown since the last collection for an idle one to run. */
const growthBytes = 32 * 1024 * 1024
const checkEveryMs = 250

/**
 * Gives a burst's memory back once the burst is over. The engine keeps its heap at the
 * burst's high-water mark while nothing allocates, so a process that served 200 concurrent
 * streams held 170–230 MB idle, and about 140 MB a second after one full collection. Four times
 * a second: when no request came in since the last check and none is in flight, and the
 * process has grown by 32 MB since the last collection, collect fully. That blocks (about
 * 70 ms at 200 MB), so it runs only after a quarter second with nothing served, once per
 * burst; a request arriving meanwhile waits for it. Nothing in flight at the moment of a check
 * is not idle: a client sending one request after another has none in flight about half the
 * time, and such a check stopped its steady traffic for 45-60 ms at a time (the slowest
 * request of a 10 s run at one client was that pause).
 */
export function collectWhenIdle(watch: IdleCollection): () => void {
  let baseline = watch.residentBytes()
  let received = watch.received()
  const timer = setInterval(() => {
    const receivedBefore = received
    received = watch.received()
    if (received !== receivedBefore || watch.inFlight() > 0) return
    const beforeBytes = watch.residentBytes()
    if (beforeBytes - baseline < growthBytes) {
      // Memory the engine gave back on its own lowers the mark a burst is measured from.
      baseline = Math.min(baseline, beforeBytes)
      return
    }
    watch.collect()
    // The pages freed go back over the next moments; the next check lowers the mark further.
    baseline = watch.residentBytes()
  }, checkEveryMs)
  // A timer that never keeps the process alive on its own.
  ;(timer as { unref?: () => void }).unref?.()
  return () => clearInterval(timer)
}
