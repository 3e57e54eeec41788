import type { AgentEvent } from '../agent/agent-event.ts'
import { type FinalRunStatus, type RunStatus, runStatus } from '../domain/run-status.ts'
import { NotFoundError } from '../errors.ts'
import type { KvStore } from '../memory/kv-store.ts'

/** A run's record. */
export interface RunInfo {
  id: string
  status: RunStatus
  createdAt: number
  updatedAt: number
  /** How long this run's records live after their last write, when not the log's default. */
  ttlMs?: number
  meta?: Record<string, unknown>
}

/** One logged event; `seq` starts at 1 and has no gaps (it is the event's place in the log). */
export interface RunEntry {
  seq: number
  at: number
  event: AgentEvent
}

/**
 * The run log: every turn's events, appended in order to the `KvStore` with a TTL, readable
 * from any sequence number and tailable while the run is live. Behind resumable streams
 * (`Last-Event-ID` is a `seq`), request coalescing and watching one answer from many tabs.
 */
export interface RunLog {
  /** Creates a run; `ttlMs` overrides the log's default lifetime for this run's records. */
  create(options?: {
    id?: string
    meta?: Record<string, unknown>
    ttlMs?: number
  }): Promise<RunInfo>
  /** Appends in order; returns the `seq` of the last event appended. */
  append(
    runId: string,
    events: readonly AgentEvent[],
    options?: { ttlMs?: number },
  ): Promise<number>
  /**
   * Marks the run final. `events` not appended yet go in the same write as the end, so a
   * run's last batch and its end cost one append, not two.
   */
  finish(runId: string, status: FinalRunStatus, events?: readonly AgentEvent[]): Promise<void>
  info(runId: string): Promise<RunInfo | undefined>
  /** Entries with `seq > afterSeq`, at most `limit` of them. */
  read(runId: string, afterSeq?: number, limit?: number): Promise<RunEntry[]>
  /**
   * Entries after `afterSeq`, then new ones as they arrive, until the run is final and fully
   * read or `signal` aborts. Rejects with `NotFoundError` for an unknown or expired run.
   */
  tail(runId: string, afterSeq?: number, signal?: AbortSignal): AsyncIterable<RunEntry>
  /** Asks the run's owner, in whatever isolate it lives, to cancel it. */
  requestCancel(runId: string): Promise<void>
  cancelRequested(runId: string): Promise<boolean>
  /**
   * The shortest time a producer leaves between two appends to one run (see `startRun`):
   * events arriving meanwhile share the next write. Each write is a round trip to the store.
   */
  readonly appendIntervalMs?: number
}

/** Options of `createRunLog`. */
export interface RunLogOptions {
  kv: KvStore
  now?: () => number
  newId?: () => string
  /** How long a run's events stay readable after its last write. Default 1 hour. */
  ttlMs?: number
  /** Tail polling backoff bounds; an append from this isolate wakes tailers at once. */
  pollMinMs?: number
  pollMaxMs?: number
  prefix?: string
  /** See `RunLog.appendIntervalMs`. Default 0: every event is written as soon as it can be. */
  appendIntervalMs?: number
}

/** What the events list holds: an event, or (last) the run's end, written by `finish`. */
type LoggedItem = { at: number; event: AgentEvent } | { at: number; end: RunStatus }
const isEnd = (item: LoggedItem): item is { at: number; end: RunStatus } => 'end' in item

type Waiter = () => void
// Wake-ups are per store object, so every run log over the same store in this isolate
// shares them; other isolates are reached by polling. Holds no secrets.
const waiters = new WeakMap<KvStore, Map<string, Set<Waiter>>>()
// Runs created here and still live, with how many writes each had: their tailers rely on
// wake-ups instead of polling, and one that missed a wake-up while it was busy yielding sees
// the count moved and reads again instead of sleeping.
const writeCounts = new WeakMap<KvStore, Map<string, number>>()

/** Creates a run log over a `KvStore`. */
export function createRunLog(options: RunLogOptions): RunLog {
  const { kv } = options
  const now = options.now ?? Date.now
  const newId = options.newId ?? (() => crypto.randomUUID())
  const ttlMs = options.ttlMs ?? 3_600_000
  const pollMin = options.pollMinMs ?? 25
  const pollMax = options.pollMaxMs ?? 1000
  const prefix = options.prefix ?? 'run:'
  const keys = (id: string) => ({
    info: `${prefix}${id}`,
    events: `${prefix}${id}:events`,
    cancel: `${prefix}${id}:cancel`,
  })
  const registry = waiters.get(kv) ?? new Map<string, Set<Waiter>>()
  waiters.set(kv, registry)
  const counts = writeCounts.get(kv) ?? new Map<string, number>()
  writeCounts.set(kv, counts)
  const notify = (id: string) => {
    for (const waiter of registry.get(id) ?? []) waiter()
  }
  const wake = (id: string, final = false) => {
    if (final) counts.delete(id)
    else counts.set(id, (counts.get(id) ?? 0) + 1)
    notify(id)
  }
  const nap = (id: string, ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      const set = registry.get(id) ?? new Set<Waiter>()
      registry.set(id, set)
      const done = () => {
        clearTimeout(timer)
        set.delete(done)
        if (set.size === 0) registry.delete(id)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      set.add(done)
      signal?.addEventListener('abort', done, { once: true })
    })

  // Runs created here and not finished yet, so `finish` needs no read to rewrite the record.
  const live = new Map<string, RunInfo>()
  // Records written before the status vocabulary was unified say `done`: read them as today's.
  const info = async (id: string) => {
    const run = await kv.get<RunInfo>(keys(id).info)
    return run && { ...run, status: runStatus(run.status) }
  }

  const readItems = (id: string, afterSeq: number, limit: number) =>
    kv.range<LoggedItem>(keys(id).events, afterSeq, afterSeq + limit - 1)
  const entries = (items: LoggedItem[], afterSeq: number): RunEntry[] => {
    const found: RunEntry[] = []
    for (const item of items) {
      if (isEnd(item)) break
      found.push({ seq: afterSeq + found.length + 1, at: item.at, event: item.event })
    }
    return found
  }
  const read = async (id: string, afterSeq = 0, limit = 1000): Promise<RunEntry[]> =>
    entries(await readItems(id, afterSeq, limit), afterSeq)

  return {
    async create(createOptions = {}) {
      const at = now()
      const run: RunInfo = {
        id: createOptions.id ?? newId(),
        status: 'running',
        createdAt: at,
        updatedAt: at,
        ...(createOptions.ttlMs ? { ttlMs: createOptions.ttlMs } : {}),
        ...(createOptions.meta ? { meta: createOptions.meta } : {}),
      }
      await kv.set(keys(run.id).info, run, { ttlMs: run.ttlMs ?? ttlMs })
      live.set(run.id, run)
      counts.set(run.id, 0)
      return run
    },

    async append(id, events, appendOptions) {
      if (events.length === 0) return kv.length(keys(id).events)
      const at = now()
      const length = await kv.append(
        keys(id).events,
        events.map((event) => ({ at, event })),
        { ttlMs: appendOptions?.ttlMs ?? ttlMs },
      )
      wake(id)
      return length
    },

    async finish(id, status, events = []) {
      const run = live.get(id) ?? (await info(id))
      if (!run) throw new NotFoundError(`Run ${id} not found`)
      live.delete(id)
      const at = now()
      const runTtl = run.ttlMs ?? ttlMs
      await kv.set(keys(id).info, { ...run, status, updatedAt: at }, { ttlMs: runTtl })
      // The end goes into the events list too (renewing its expiry), so a reader learns it
      // from the read it makes anyway, without asking for the record.
      const items: LoggedItem[] = events.map((event) => ({ at, event }))
      items.push({ at, end: status })
      await kv.append(keys(id).events, items, { ttlMs: runTtl })
      wake(id, true)
    },

    info,
    read,

    async *tail(id, afterSeq = 0, signal) {
      const limit = 1000
      let after = afterSeq
      let delay = pollMin
      // One read per wake-up while the run is live: the end marker closes the tail, and the
      // record is asked for only when a read finds nothing (is the run there, still live?).
      while (!signal?.aborted) {
        const writes = counts.get(id)
        const items = await readItems(id, after, limit)
        const found = entries(items, after)
        for (const entry of found) {
          if (signal?.aborted) return
          yield entry
          after = entry.seq
        }
        if (found.length < items.length) return
        if (items.length === limit) continue
        // Written from this isolate: its appends wake us, so no polling and no record reads.
        if (counts.has(id)) {
          if (counts.get(id) === writes) await nap(id, pollMax, signal)
          continue
        }
        if (items.length === 0) {
          const run = await info(id)
          if (!run) throw new NotFoundError(`Run ${id} not found`)
          if (run.status !== 'running') {
            // Final but no end marker seen yet: whatever the log holds now is all there is.
            for (const entry of await read(id, after)) {
              if (signal?.aborted) return
              yield entry
            }
            return
          }
        } else delay = pollMin
        if (counts.get(id) !== writes) continue
        await nap(id, delay, signal)
        delay = Math.min(delay * 2, pollMax)
      }
    },

    async requestCancel(id) {
      await kv.set(keys(id).cancel, true, { ttlMs })
      notify(id)
    },

    async cancelRequested(id) {
      return (await kv.get<boolean>(keys(id).cancel)) === true
    },

    appendIntervalMs: options.appendIntervalMs ?? 0,
  }
}
