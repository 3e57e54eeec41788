import type { ExecutionContext } from 'hono'

/**
 * `waitUntil` outside Workers: a set of in-flight background promises, so shutdown can wait
 * for bookkeeping (history writes, usage) instead of cutting it off.
 */
export interface BackgroundTasks extends ExecutionContext {
  /** How many promises are still running. */
  readonly pending: number
  /** Resolves when every tracked promise settled, or after `timeoutMs`; returns how many were left. */
  drain(timeoutMs: number): Promise<number>
}

/** Creates an execution context whose `waitUntil` tracks promises until they settle. */
export function createBackgroundTasks(): BackgroundTasks {
  const inFlight = new Set<Promise<unknown>>()
  return {
    waitUntil(promise) {
      const tracked = promise.then(
        () => undefined,
        () => undefined,
      )
      inFlight.add(tracked)
      void tracked.then(() => inFlight.delete(tracked))
    },
    passThroughOnException() {},
    props: {},
    get pending() {
      return inFlight.size
    },
    async drain(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs)
      })
      while (inFlight.size > 0) {
        const settledAll = Promise.all([...inFlight]).then(() => 'settled' as const)
        if (
          (await Promise.race([settledAll, timeout.then(() => 'timeout' as const)])) === 'timeout'
        )
          break
      }
      clearTimeout(timer)
      return inFlight.size
    },
  }
}
