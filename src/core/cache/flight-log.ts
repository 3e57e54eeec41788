import { type ErrorCode, errorCodes } from '../error-codes.ts'
import { AppError, isAppError } from '../errors.ts'
import type { KvStore } from '../memory/kv-store.ts'
import type { FallbackEvent } from '../models/fallback.ts'
import { ProviderError } from '../models/provider-error.ts'

/** One record of a flight: an event, or how the call ended. */
export type FlightRecord =
  | { event: FallbackEvent }
  | { end: true }
  | { error: { code: string; message: string; status: number; retryable: boolean } }

/** Options of `createFlightLog`. */
export interface FlightLogOptions {
  kv: KvStore
  prefix?: string
  /** How long a flight's records stay readable. Default 10 minutes. */
  ttlMs?: number
  /** Followers fail with `provider_timeout` when nothing new arrives for this long. 120 s. */
  stallMs?: number
  /** After this long without news, followers ask whether the leader is alive. 2 s. */
  checkAfterMs?: number
  pollMinMs?: number
  pollMaxMs?: number
  sleep?: (ms: number) => Promise<void>
  /** A batch the writer could not append after its retries (its followers will fail). */
  onWriteError?: (error: unknown) => void
}

/**
 * The leader let go of its claim with its flight unfinished (it died, or the store refused
 * its writes until it gave up): no more of the flight will come. A follower that has received
 * nothing yet may make the call itself.
 */
export class LostFlightError extends ProviderError {
  constructor() {
    super('provider_timeout', 'The shared model call stopped answering', {
      provider: 'none',
      model: 'none',
      retryable: true,
    })
  }
}

/** A record as stored: numbered in writing order, so a batch appended twice is read once. */
type SequencedRecord = FlightRecord & { seq?: number }

// A write that fails transiently is tried again for about 3 s (50 ms doubling, 6 times): the
// followers' whole answer depends on it, and they wait far longer than that anyway.
const writeRetries = 6

/**
 * A flight's events in the KV store, so followers in other isolates and processes receive
 * the leader's stream live from its first event (the run log's idea, keyed by flight).
 * Writes are queued and batched behind the leader's stream: its client never waits for them.
 */
export interface FlightLog {
  writer(flightId: string): FlightWriter
  /**
   * The flight's events from the first until it ends; its error, rethrown, if it failed.
   * When nothing arrives for a while, `alive` is asked whether the leader still holds its
   * claim: a leader that died (its claim expired) fails its followers at once (`LostFlightError`).
   */
  follow(
    flightId: string,
    signal?: AbortSignal,
    alive?: () => Promise<boolean>,
  ): AsyncGenerator<FallbackEvent>
  /** How many remote followers wait on the flight (they count themselves in and out). */
  waiting(flightId: string): Promise<number>
}

/** Appends a flight's records in order; `flushed` settles once all are written. */
export interface FlightWriter {
  write(record: FlightRecord): void
  flushed(): Promise<void>
}

/** Creates the flight log over a `KvStore`. */
export function createFlightLog(options: FlightLogOptions): FlightLog {
  const { kv } = options
  const prefix = options.prefix ?? 'cache:flight:'
  const ttlMs = options.ttlMs ?? 600_000
  const stallMs = options.stallMs ?? 120_000
  const checkAfterMs = options.checkAfterMs ?? 2000
  const pollMin = options.pollMinMs ?? 5
  const pollMax = options.pollMaxMs ?? 200
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)))
  const listKey = (id: string) => `${prefix}${id}`
  const waitKey = (id: string) => `${prefix}${id}:waiting`

  return {
    writer(flightId) {
      let pending: FlightRecord[] = []
      let chain: Promise<void> = Promise.resolve()
      let failure: unknown
      let written = 0
      const flush = async () => {
        const batch = pending
        pending = []
        // After a batch is lost for good, later ones would leave a hole in the middle of the
        // followers' answer: they get nothing more, and fail once the leader lets go.
        if (batch.length === 0 || failure !== undefined) return
        const numbered: SequencedRecord[] = batch.map((record) => ({ ...record, seq: written++ }))
        for (let attempt = 0; ; attempt += 1) {
          try {
            await kv.append(listKey(flightId), numbered, { ttlMs })
            return
          } catch (error) {
            // A failed append may still have landed (the reply was lost): appending again is
            // safe, because followers skip a sequence number they have already read.
            if (!(isAppError(error) && error.retryable) || attempt >= writeRetries) {
              failure = error
              options.onWriteError?.(error)
              return
            }
            await sleep(50 * 2 ** attempt)
          }
        }
      }
      return {
        write(record) {
          pending.push(record)
          if (pending.length === 1) chain = chain.then(flush)
        },
        async flushed() {
          await chain
          if (failure) throw failure
        },
      }
    },

    async *follow(flightId, signal, alive) {
      await kv.increment(waitKey(flightId), 1, { ttlMs })
      try {
        let after = 0
        let nextSeq = 0
        let delay = pollMin
        let quietSince = Date.now()
        for (;;) {
          if (signal?.aborted) throw aborted()
          const records = await tolerated(
            kv.range<SequencedRecord>(listKey(flightId), after, after + 499),
            [],
          )
          for (const record of records) {
            after += 1
            // A batch appended again after a lost reply: its records are read once.
            if (record.seq !== undefined) {
              if (record.seq < nextSeq) continue
              nextSeq = record.seq + 1
            }
            if ('event' in record) yield record.event
            else if ('end' in record) return
            else throw revived(record.error)
          }
          if (records.length > 0) {
            delay = pollMin
            quietSince = Date.now()
            continue
          }
          const quiet = Date.now() - quietSince
          // A leader ends its flight before releasing its claim: a released claim with no
          // end record after one more read means the leader died.
          const dead =
            quiet > checkAfterMs &&
            alive !== undefined &&
            !(await tolerated(alive(), true)) &&
            (await tolerated(kv.length(listKey(flightId)), -1)) === after
          if (dead) throw new LostFlightError()
          if (quiet > stallMs) {
            throw new ProviderError('provider_timeout', 'The shared model call stopped answering', {
              provider: 'none',
              model: 'none',
              retryable: true,
            })
          }
          await sleep(delay)
          delay = Math.min(delay * 2, pollMax)
        }
      } finally {
        await kv.increment(waitKey(flightId), -1, { ttlMs }).catch(() => {})
      }
    },

    async waiting(flightId) {
      return (await kv.get<number>(waitKey(flightId))) ?? 0
    },
  }
}

/** An error as a flight record: what every follower will receive. */
export function errorRecord(error: unknown): FlightRecord {
  const known = isAppError(error)
  return {
    error: {
      code: known ? error.code : 'internal_error',
      message: known && error.expose ? error.message : 'The model call failed',
      status: known ? error.status : 500,
      retryable: known ? error.retryable : false,
    },
  }
}

function revived(error: { code: string; message: string; status: number; retryable: boolean }) {
  const code = (errorCodes as readonly string[]).includes(error.code)
    ? (error.code as ErrorCode)
    : 'internal_error'
  return new AppError(code, error.message, {
    status: error.status,
    retryable: error.retryable,
    expose: true,
  })
}

function aborted(): ProviderError {
  return new ProviderError('provider_aborted', 'The caller went away', {
    provider: 'none',
    model: 'none',
    retryable: false,
  })
}

/**
 * A follower's read that the store failed transiently counts as a quiet poll (`fallback`):
 * the leader's records are still there on the next one, and a follower that gives up on one
 * failed read would fail its caller while the answer is on its way. Only the stall timeout
 * ends a follower whose store stays down.
 */
async function tolerated<T>(read: Promise<T>, fallback: T): Promise<T> {
  try {
    return await read
  } catch (error) {
    if (isAppError(error) && error.retryable) return fallback
    throw error
  }
}
