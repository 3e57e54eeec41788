import type { AgentEvent, TurnUsage } from '../agent/agent-event.ts'
import type { FinalRunStatus } from '../domain/run-status.ts'
import type { Logger } from '../telemetry/logger.ts'
import type { RunLog } from './run-log.ts'

/** How a run ended, for whoever settles up after it (token reservations, metrics). */
export interface RunOutcome {
  runId: string
  status: FinalRunStatus
  /** The turn's usage, when it got as far as reporting one. */
  usage?: TurnUsage
  error?: { code: string; message: string }
}

/** Writes one run's events to the run log as they come, and its end. */
export interface RunRecorder {
  /** Queues an event; never blocks the producer on the store. */
  record(event: AgentEvent): void
  /** The run failed outside its events (the producer threw): logs an `internal_error`. */
  fail(): void
  /** Waits for every write, marks the run final and returns its outcome. Never rejects. */
  close(fallback?: FinalRunStatus): Promise<RunOutcome>
}

/** The run status a turn's end means. */
export const statusByReason = {
  done: 'completed',
  'max-steps': 'completed',
  cancelled: 'cancelled',
  error: 'failed',
} as const satisfies Record<Extract<AgentEvent, { type: 'turn-end' }>['reason'], FinalRunStatus>

/**
 * A recorder for the run `runId`. Events are appended with at most one write in flight:
 * those that arrive meanwhile go in the next write, so a slow store costs batching, not lost
 * or reordered events. `create` puts the run's creation at the head of that chain, for callers
 * that must not wait for the store before answering (the compatible endpoints).
 */
export function createRunRecorder(
  runLog: RunLog,
  runId: string,
  options: {
    create?: { meta?: Record<string, unknown>; ttlMs?: number }
    /**
     * Shortest time between two appends (never at the end): a fast stream costs one write per
     * interval rather than one per event, and consecutive text deltas of a step are merged
     * while they wait. Default 0: every event is written as soon as it can be.
     */
    intervalMs?: number
    /** Merge consecutive text deltas of a step while they wait (fewer, larger events). */
    mergeText?: boolean
    /**
     * The first append waits `intervalMs` from the recorder's start as well, for a log that no
     * reader follows live (the client reads the model directly): an answer shorter than the
     * interval is then written in one append, at its end, instead of two.
     */
    firstAppendWaits?: boolean
    now?: () => number
    /** Where lost writes are reported, by run id and error code (never with event text). */
    logger?: Logger
  } = {},
): RunRecorder {
  const interval = options.intervalMs ?? 0
  const now = options.now ?? Date.now
  let lastWrite = options.firstAppendWaits ? now() : Number.NEGATIVE_INFINITY
  let ending = false
  let hurry = () => {}
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      hurry = done
    })
  const ttl = options.create?.ttlMs ? { ttlMs: options.create.ttlMs } : undefined
  let status: FinalRunStatus | undefined
  let usage: TurnUsage | undefined
  let error: RunOutcome['error']
  let pending: AgentEvent[] = []
  let lost = false
  let writing: Promise<unknown> = options.create
    ? runLog.create({ id: runId, ...options.create }).catch(() => {
        lost = true
      })
    : Promise.resolve()
  // A failed write must not stall the chain: later events still get their chance.
  const flush = () => {
    writing = writing
      .then(async () => {
        const wait = lastWrite + interval - now()
        if (!ending && wait > 0) await pause(wait)
        // Once the run is ending, its last batch goes with the end, in one write (see close).
        if (ending) return
        const batch = pending
        pending = []
        if (batch.length === 0) return
        lastWrite = now()
        await runLog.append(runId, batch, ttl)
      })
      .catch(() => {
        lost = true
      })
    return writing
  }
  const record = (event: AgentEvent) => {
    const last = pending.at(-1)
    if (options.mergeText && event.type === 'text-delta' && last?.type === 'text-delta') {
      if (last.step === event.step) {
        pending[pending.length - 1] = { ...last, text: last.text + event.text }
      } else pending.push(event)
    } else pending.push(event)
    if (pending.length === 1) void flush()
    if (event.type === 'error') error = { code: event.code, message: event.message }
    if (event.type === 'turn-end') {
      status = statusByReason[event.reason]
      usage = event.usage
    }
  }
  return {
    record,
    fail() {
      record({
        type: 'error',
        code: 'internal_error',
        message: 'The run failed unexpectedly',
        retryable: false,
      })
      status = 'failed'
    },
    async close(fallback = 'failed') {
      ending = true
      hurry()
      // Every write already queued lands first; what is still pending goes with the end.
      for (let chain = writing; ; chain = writing) {
        await chain
        if (chain === writing) break
      }
      const last = pending
      pending = []
      let final = lost ? 'failed' : (status ?? fallback)
      if (lost) options.logger?.error('run events not stored', { run_id: runId })
      await runLog.finish(runId, final, last).catch((failure: unknown) => {
        const code = (failure as { code?: unknown } | undefined)?.code
        if (last.length > 0 && !lost) {
          options.logger?.error('run events not stored', { run_id: runId })
          final = 'failed'
        }
        options.logger?.error('run not finished', {
          run_id: runId,
          code: typeof code === 'string' ? code : 'unknown',
        })
      })
      return { runId, status: final, ...(usage ? { usage } : {}), ...(error ? { error } : {}) }
    },
  }
}
