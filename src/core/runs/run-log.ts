import type { AgentEvent } from '../agent/agent-event.ts'
import { NotFoundError } from '../errors.ts'
import type { KvStore } from '../memory/kv-store.ts'

/** Where a run is in its life. Everything but `running` is final. */
export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled'

/** A run's record. */
export interface RunInfo {
  id: string
  status: RunStatus
  createdAt: number
  updatedAt: number
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
  create(options?: { id?: string; meta?: Record<string, unknown> }): Promise<RunInfo>
  /** Appends in order; returns the `seq` of the last event appended. */
  append(runId: string, events: readonly AgentEvent[]): Promise<number>
  finish(runId: string, status: Exclude<RunStatus, 'running'>): Promise<void>
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
}

type Waiter = () => void
// Wake-ups are per store object, so every run log over the same store in this isolate
// shares them; other isolates are reached by polling. Holds no secrets.
const waiters = new WeakMap<KvStore, Map<string, Set<Waiter>>>()

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
  const wake = (id: string) => {
    for (const waiter of registry.get(id) ?? []) waiter()
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

  const info = (id: string) => kv.get<RunInfo>(keys(id).info)

  const read = async (id: string, afterSeq = 0, limit = 1000): Promise<RunEntry[]> => {
    const items = await kv.range<{ at: number; event: AgentEvent }>(
      keys(id).events,
      afterSeq,
      afterSeq + limit - 1,
    )
    return items.map((item, index) => ({ seq: afterSeq + index + 1, ...item }))
  }

  return {
    async create(createOptions = {}) {
      const at = now()
      const run: RunInfo = {
        id: createOptions.id ?? newId(),
        status: 'running',
        createdAt: at,
        updatedAt: at,
        ...(createOptions.meta ? { meta: createOptions.meta } : {}),
      }
      await kv.set(keys(run.id).info, run, { ttlMs })
      return run
    },

    async append(id, events) {
      if (events.length === 0) return kv.length(keys(id).events)
      const at = now()
      const length = await kv.append(
        keys(id).events,
        events.map((event) => ({ at, event })),
        { ttlMs },
      )
      wake(id)
      return length
    },

    async finish(id, status) {
      const run = await info(id)
      if (!run) throw new NotFoundError(`Run ${id} not found`)
      await kv.set(keys(id).info, { ...run, status, updatedAt: now() }, { ttlMs })
      await kv.expire(keys(id).events, ttlMs)
      wake(id)
    },

    info,
    read,

    async *tail(id, afterSeq = 0, signal) {
      let after = afterSeq
      let delay = pollMin
      while (!signal?.aborted) {
        // Status first: if it is final now, the read below sees every event there will be.
        const run = await info(id)
        if (!run) throw new NotFoundError(`Run ${id} not found`)
        const entries = await read(id, after)
        for (const entry of entries) {
          if (signal?.aborted) return
          yield entry
          after = entry.seq
        }
        if (entries.length > 0) {
          delay = pollMin
          continue
        }
        if (run.status !== 'running') return
        await nap(id, delay, signal)
        delay = Math.min(delay * 2, pollMax)
      }
    },

    async requestCancel(id) {
      await kv.set(keys(id).cancel, true, { ttlMs })
      wake(id)
    },

    async cancelRequested(id) {
      return (await kv.get<boolean>(keys(id).cancel)) === true
    },
  }
}
