import type { KvStore } from '../memory/kv-store.ts'
import type { ModelEvent } from '../models/chat-model.ts'
import {
  type CacheMark,
  type FallbackEvent,
  type ModelCall,
  streamWithFallback,
} from '../models/fallback.ts'
import type { CatalogEntry } from '../models/model-catalog.ts'
import type { Logger } from '../telemetry/logger.ts'
import { type CacheScope, modelCallKey } from './cache-key.ts'
import { type CachePolicy, cacheable } from './cache-policy.ts'
import { createFlight, type Flight } from './flight.ts'
import { createFlightLog, errorRecord, type FlightLog, LostFlightError } from './flight-log.ts'

/** A stored answer: the events of one complete, successful model call. */
export interface CacheEntry {
  storedAt: number
  /** The candidate that answered (`provider:model`). */
  model: string
  events: ModelEvent[]
}

/** Options of `createModelCallCache`. */
export interface ModelCallCacheOptions {
  kv: KvStore
  /** How long answers are kept when the caller names no `max-age`. Default 1 hour. */
  ttlMs?: number
  /**
   * How long a claim on a key lasts if its leader dies without releasing it; a live leader
   * renews it every third of this. 30 s.
   */
  claimTtlMs?: number
  prefix?: string
  now?: () => number
  newId?: () => string
  logger?: Logger
  /** The shared flight log; built over `kv` by default. */
  flights?: FlightLog
  /** The model call being cached. Default `streamWithFallback`. */
  upstream?: ModelCall
  /** Hears how each cacheable call was answered (for metrics). */
  onLookup?: (result: 'hit' | 'miss' | 'coalesced') => void
}

/** Who calls, under which policy, and where their background work goes. */
export interface CacheCaller extends CacheScope {
  policy: CachePolicy
  defer(promise: Promise<unknown>): void
}

/**
 * The response cache and request coalescing, at the model call: `bind` gives one caller's
 * model call, to use where `streamWithFallback` would be. Tool calls still run; only model
 * calls are reused.
 */
export interface ModelCallCache {
  bind(caller: CacheCaller): ModelCall
}

// In-process flights per store object, so every cache over one store shares them.
const localFlights = new WeakMap<KvStore, Map<string, Flight>>()

/**
 * Creates the cache. A cacheable call (deterministic, or opted in) is answered, in order:
 * from a stored entry (`HIT`: the same events, replayed); by following an identical call in
 * flight (`COALESCED`: a claim with set-if-absent names the leader's flight, whose events
 * followers read live from the first, here from memory, elsewhere from the flight log); or
 * by calling the model (`MISS`), detached from the caller, so a reader that goes away cancels
 * the call only when nobody else waits. Only complete, successful calls are stored.
 */
export function createModelCallCache(options: ModelCallCacheOptions): ModelCallCache {
  const { kv } = options
  const prefix = options.prefix ?? 'cache:'
  const ttlMs = options.ttlMs ?? 3_600_000
  const claimTtlMs = options.claimTtlMs ?? 30_000
  const now = options.now ?? Date.now
  const newId = options.newId ?? (() => crypto.randomUUID())
  const upstream = options.upstream ?? streamWithFallback
  const flights =
    options.flights ??
    createFlightLog({
      kv,
      prefix: `${prefix}flight:`,
      // Followers in other processes will fail: say why here, where the store failed.
      onWriteError: (error) =>
        options.logger?.warn('shared model call: flight log write failed', {
          error: String(error),
        }),
    })
  const local = localFlights.get(kv) ?? new Map<string, Flight>()
  localFlights.set(kv, local)
  const entryKey = (key: string) => `${prefix}entry:${key}`
  const claimKey = (key: string) => `${prefix}claim:${key}`

  async function stored(key: string, candidates: readonly CatalogEntry[]) {
    const entry = await kv.get<CacheEntry>(entryKey(key))
    const candidate = entry && candidates.find((c) => c.id === entry.model)
    return entry && candidate ? { entry, candidate } : undefined
  }

  return {
    bind(caller) {
      const { policy } = caller
      // A call the cache may not serve gets the model's own stream: a generator that only
      // passed its events on would cost a promise round per event for nothing.
      return (fallback, candidates, request, signal) =>
        cacheable(policy, request.temperature)
          ? cachedCall(fallback, candidates, request, signal)
          : upstream(fallback, candidates, request, signal)

      async function* cachedCall(
        ...[fallback, candidates, request, signal]: Parameters<ModelCall>
      ): ReturnType<ModelCall> {
        const plan = await planned()
        if (plan.kind !== 'follow-there') return yield* served(plan)
        let followed = false
        try {
          for await (const event of served(plan)) {
            followed = true
            yield event
          }
        } catch (error) {
          // A leader elsewhere let go before any of its answer reached us: the call is ours to
          // make, decided afresh, so its followers elect one new leader (or find the answer it
          // stored) instead of each failing. Once: a second lost flight is the caller's error.
          if (followed || !(error instanceof LostFlightError) || signal?.aborted) throw error
          options.logger?.warn('shared model call lost before its first event: deciding again')
          const again = await planned()
          return yield* served(again)
        }

        async function planned(): Promise<Plan> {
          try {
            return await decide(await modelCallKey(caller, candidates, request))
          } catch (error) {
            // The cache speeds answers up; a store failure must not prevent one.
            options.logger?.warn('response cache unavailable', { error: String(error) })
            return { kind: 'direct' }
          }
        }

        async function* served(plan: Plan): ReturnType<ModelCall> {
          switch (plan.kind) {
            case 'hit': {
              options.onLookup?.('hit')
              const { entry, candidate } = plan
              const ageSeconds = Math.max(0, Math.floor((now() - entry.storedAt) / 1000))
              yield {
                type: 'model-start',
                candidate,
                attempt: 1,
                cache: { status: 'HIT', ageSeconds },
              }
              for (const event of entry.events) yield event
              return
            }
            case 'lead':
            case 'follow-here':
              options.onLookup?.(plan.kind === 'lead' ? 'miss' : 'coalesced')
              return yield* marked(
                plan.flight.follow(signal),
                plan.kind === 'lead' ? 'MISS' : 'COALESCED',
              )
            case 'follow-there': {
              options.onLookup?.('coalesced')
              const { key, flightId } = plan
              const alive = async () => (await kv.get<string>(claimKey(key))) === flightId
              return yield* marked(flights.follow(flightId, signal, alive), 'COALESCED')
            }
            case 'direct':
              return yield* upstream(fallback, candidates, request, signal)
            default:
              return plan satisfies never
          }
        }

        async function decide(key: string): Promise<Plan> {
          // A claim can be released between our failed claim and our read: look again.
          for (let round = 0; round < 3; round += 1) {
            const hit = policy.read ? await stored(key, candidates) : undefined
            if (hit) return { kind: 'hit', ...hit }
            const flightId = newId()
            if (await kv.set(claimKey(key), flightId, { ifAbsent: true, ttlMs: claimTtlMs })) {
              // A leader stores its entry before releasing its claim: one that finished
              // between our read and our claim left the answer, so look once more.
              const late = policy.read ? await stored(key, candidates) : undefined
              if (!late) return { kind: 'lead', flight: lead(key, flightId) }
              await kv.delete(claimKey(key))
              return { kind: 'hit', ...late }
            }
            const current = await kv.get<string>(claimKey(key))
            if (current === undefined) continue
            const here = local.get(current)
            return here
              ? { kind: 'follow-here', flight: here }
              : { kind: 'follow-there', key, flightId: current }
          }
          return { kind: 'direct' }
        }

        function lead(key: string, flightId: string): Flight {
          const controller = new AbortController()
          const writer = flights.writer(flightId)
          const flight = createFlight({
            // The last reader here left: stop the model unless readers elsewhere still wait.
            onIdle: () =>
              caller.defer(
                flights.waiting(flightId).then(
                  (waiting) => waiting > 0 || controller.abort(),
                  () => controller.abort(),
                ),
              ),
          })
          local.set(flightId, flight)
          // The claim lives while the leader does: renewed in the background, never awaited.
          const renew = setInterval(() => {
            caller.defer(kv.expire(claimKey(key), claimTtlMs).catch(() => false))
          }, claimTtlMs / 3)
          const produce = async () => {
            let recorded: ModelEvent[] = []
            let model = ''
            let finished = false
            try {
              for await (const event of upstream(
                fallback,
                candidates,
                request,
                controller.signal,
              )) {
                flight.push(event)
                writer.write({ event })
                if (event.type === 'model-start') {
                  model = event.candidate.id
                  recorded = []
                } else if (event.type !== 'retry') {
                  if (event.type === 'finish') finished = true
                  recorded.push(event)
                }
              }
              flight.end()
              if (finished && policy.write && !controller.signal.aborted) {
                const entry: CacheEntry = { storedAt: now(), model, events: recorded }
                await kv
                  .set(entryKey(key), entry, { ttlMs: policy.ttlMs ?? ttlMs })
                  .catch((error: unknown) => {
                    options.logger?.warn('response cache write failed', { error: String(error) })
                  })
              }
              writer.write({ end: true })
            } catch (error) {
              flight.fail(error)
              writer.write(errorRecord(error))
            } finally {
              clearInterval(renew)
              await writer.flushed().catch(() => {})
              await kv.delete(claimKey(key)).catch(() => false)
              local.delete(flightId)
            }
          }
          caller.defer(produce())
          return flight
        }
      }
    },
  }
}

type Plan =
  | { kind: 'hit'; entry: CacheEntry; candidate: CatalogEntry }
  | { kind: 'lead'; flight: Flight }
  | { kind: 'follow-here'; flight: Flight }
  | { kind: 'follow-there'; key: string; flightId: string }
  | { kind: 'direct' }

/** Marks each `model-start` with how the cache served the call. */
async function* marked(
  events: AsyncIterable<FallbackEvent>,
  status: CacheMark['status'],
): AsyncGenerator<FallbackEvent> {
  for await (const event of events) {
    yield event.type === 'model-start' ? { ...event, cache: { status, ageSeconds: 0 } } : event
  }
}
