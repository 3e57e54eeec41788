/** What `withHeartbeat` yields after a silence. */
export const HEARTBEAT: unique symbol = Symbol('heartbeat')

/**
 * The items of `source`, with `HEARTBEAT` in between whenever `everyMs` pass without one.
 * Event streams turn it into a comment, so a model that thinks for a minute does not look like
 * a dead connection to the runtime's idle timeout, a proxy or a browser.
 */
export async function* withHeartbeat<T>(
  source: AsyncIterable<T>,
  everyMs: number,
): AsyncGenerator<T | typeof HEARTBEAT> {
  const iterator = source[Symbol.asyncIterator]()
  const pull = () => {
    const next = iterator.next()
    // If the consumer leaves while this is pending, its outcome must not go unhandled.
    next.catch(() => {})
    return next
  }
  let next = pull()
  let finished = false
  try {
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const tick = new Promise<typeof HEARTBEAT>((resolve) => {
        timer = setTimeout(() => resolve(HEARTBEAT), everyMs)
      })
      const result = await Promise.race([next, tick]).finally(() => clearTimeout(timer))
      if (result === HEARTBEAT) {
        yield HEARTBEAT
        continue
      }
      if (result.done) {
        finished = true
        return
      }
      yield result.value
      next = pull()
    }
  } finally {
    // Not awaited: a source waiting for its next item finishes that wait first.
    if (!finished) void iterator.return?.()?.catch(() => {})
  }
}

/** The SSE comment sent as a heartbeat; every client ignores comments. */
export const sseKeepAlive = ': keepalive\n\n'
