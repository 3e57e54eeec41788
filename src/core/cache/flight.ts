import type { FallbackEvent } from '../models/fallback.ts'
import { ProviderError } from '../models/provider-error.ts'

/**
 * One model call in flight inside this isolate, shared by every reader here: the leader's
 * own client and the followers of the same key. Events are kept from the first, so a reader
 * that joins late still receives the whole answer, then follows it live.
 */
export interface Flight {
  push(event: FallbackEvent): void
  end(): void
  fail(error: unknown): void
  readonly done: boolean
  /** Readers following now. */
  readonly readers: number
  /**
   * Every event from the first, then live ones until the call ends (or throws its error).
   * Aborting `signal` stops this reader only, with `provider_aborted`.
   */
  follow(signal?: AbortSignal): AsyncGenerator<FallbackEvent>
}

/** Creates a flight; `onIdle` is called when its last reader leaves before the call ended. */
export function createFlight(options: { onIdle?: () => void } = {}): Flight {
  const events: FallbackEvent[] = []
  let outcome: { error?: unknown } | undefined
  let readers = 0
  let wake: (() => void)[] = []
  const notify = () => {
    const waiting = wake
    wake = []
    for (const resolve of waiting) resolve()
  }

  return {
    push(event) {
      if (outcome) return
      events.push(event)
      notify()
    },
    end() {
      outcome ??= {}
      notify()
    },
    fail(error) {
      outcome ??= { error }
      notify()
    },
    get done() {
      return outcome !== undefined
    },
    get readers() {
      return readers
    },
    async *follow(signal) {
      readers += 1
      try {
        let next = 0
        for (;;) {
          if (signal?.aborted) throw aborted()
          if (next < events.length) {
            yield events[next++] as FallbackEvent
            continue
          }
          if (outcome) {
            if ('error' in outcome) throw outcome.error
            return
          }
          await new Promise<void>((resolve) => {
            const stop = () => resolve()
            wake.push(() => {
              signal?.removeEventListener('abort', stop)
              resolve()
            })
            signal?.addEventListener('abort', stop, { once: true })
          })
        }
      } finally {
        readers -= 1
        if (readers === 0 && !outcome) options.onIdle?.()
      }
    },
  }
}

function aborted(): ProviderError {
  return new ProviderError('provider_aborted', 'The caller went away', {
    provider: 'none',
    model: 'none',
    retryable: false,
  })
}
