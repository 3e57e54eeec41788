/** What `tappedStream` reports; each callback runs in the step that caused it. */
export interface StreamTap<T> {
  /** An item, before the consumer sees it; must not throw. */
  item?(item: T): void
  /** The source ended by itself. */
  end?(): void
  /** The source failed; the consumer then gets the same error. */
  error?(error: unknown): void
  /** The consumer stopped before the end (`return()`, as a `break` out of `for await` does),
   * once the source has closed. */
  left?(): void
}

/**
 * The items of `source`, unchanged, with `tap` told of each one and of how the stream ended.
 * What a pass-through `async function*` would do, without its cost: a generator step is a
 * few promise turns and a queue entry, and a streamed chunk crosses every wrapper of the
 * model layer, so each wrapper written as a generator was paid once per chunk. Here a step
 * is one `then` on the source's own promise.
 */
export function tappedStream<T>(source: AsyncIterable<T>, tap: StreamTap<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = source[Symbol.asyncIterator]()
      let over = false
      const step = (result: IteratorResult<T>) => {
        if (over) return result
        if (result.done) {
          over = true
          tap.end?.()
        } else {
          tap.item?.(result.value)
        }
        return result
      }
      const failed = (error: unknown): never => {
        if (!over) {
          over = true
          tap.error?.(error)
        }
        throw error
      }
      return {
        next: () => iterator.next().then(step, failed),
        async return(value?: unknown) {
          const leaving = !over
          over = true
          try {
            return (await iterator.return?.(value)) ?? { done: true as const, value: value as T }
          } finally {
            if (leaving) tap.left?.()
          }
        },
      }
    },
  }
}
