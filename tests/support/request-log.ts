/**
 * The requests a local stand-in for an edge service received, one label each (the path and
 * what was asked). Every request to Upstash or Neon is a network round trip from the edge,
 * so tests count them here, on the server side, where nothing can hide one.
 */
export interface RequestLog {
  /** Labels in arrival order since the last `reset`. */
  readonly entries: readonly string[]
  readonly count: number
  record(label: string): void
  reset(): void
}

/** Creates an empty request log. */
export function createRequestLog(): RequestLog {
  let entries: string[] = []
  return {
    get entries() {
      return entries
    },
    get count() {
      return entries.length
    },
    record(label) {
      entries.push(label)
    },
    reset() {
      entries = []
    },
  }
}
