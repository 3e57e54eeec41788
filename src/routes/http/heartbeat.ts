/** What `withHeartbeat` yields after a silence. */
export const HEARTBEAT: unique symbol = Symbol('heartbeat')

/**
 * The items of `source`, with `HEARTBEAT` in between whenever `everyMs` pass without one.
 * Event streams turn it into a comment, so a model that thinks for a minute does not look like
 * a dead connection to the runtime's idle timeout, a proxy or a browser.
 *
 * One timer per stream, not one per item: an item only notes the time it was asked for, and
 * the timer, when it fires, checks how long the wait has lasted and either wakes the waiting
 * consumer with a beat or re-arms for the rest of the silence. A timer and a `Promise.race`
 * per item were 7% of a busy gateway's streaming CPU; a stream faster than `everyMs` now
 * never touches the timer after starting it.
 */
export async function* withHeartbeat<T>(
  source: AsyncIterable<T>,
  everyMs: number,
): AsyncGenerator<T | typeof HEARTBEAT> {
  const iterator = source[Symbol.asyncIterator]()
  let finished = false
  // When the current wait for an item began, and how to end it early with a beat.
  let waitingSince = Date.now()
  let wake: ((beat: typeof HEARTBEAT) => void) | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const arm = (ms: number) => {
    timer = setTimeout(check, ms)
  }
  function check() {
    // Nobody waiting: the consumer is busy with an item (or held by a slow client), and it
    // sets the clock again when it next waits. Re-arming for the rest of the silence here
    // would spin a 1 ms timer for as long as the consumer is held.
    if (!wake) return arm(everyMs)
    const silent = Date.now() - waitingSince
    if (silent < everyMs) return arm(everyMs - silent)
    const beat = wake
    wake = undefined
    beat(HEARTBEAT)
    arm(everyMs)
  }
  try {
    arm(everyMs)
    const pull = () => {
      const next = iterator.next()
      // If the consumer leaves while this is pending, its outcome must not go unhandled.
      next.catch(() => {})
      return next
    }
    let next = pull()
    for (;;) {
      const pending = next
      const result = await new Promise<IteratorResult<T> | typeof HEARTBEAT>((resolve, reject) => {
        wake = resolve
        pending.then(resolve, reject)
      })
      wake = undefined
      if (result === HEARTBEAT) {
        // The next beat is due `everyMs` after this one if the item is still not there.
        waitingSince = Date.now()
        yield HEARTBEAT
        continue
      }
      if (result.done) {
        finished = true
        return
      }
      yield result.value
      waitingSince = Date.now()
      next = pull()
    }
  } finally {
    clearTimeout(timer)
    // Not awaited: a source waiting for its next item finishes that wait first.
    if (!finished) void iterator.return?.()?.catch(() => {})
  }
}

/** The SSE comment sent as a heartbeat; every client ignores comments. */
export const sseKeepAlive = ': keepalive\n\n'
