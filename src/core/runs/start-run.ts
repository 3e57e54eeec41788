import type { AgentEvent } from '../agent/agent-event.ts'
import type { Logger } from '../telemetry/logger.ts'
import type { RunEntry, RunInfo, RunLog, RunStatus } from './run-log.ts'

/** What `startRun` needs. */
export interface StartRunOptions {
  runLog: RunLog
  /** Keeps background work alive after the response: `waitUntil` on Workers. */
  defer: (work: Promise<unknown>) => void
  id?: string
  meta?: Record<string, unknown>
  now?: () => number
  /** Where a failed run is reported, by error code (never with user or model text). */
  logger?: Logger
  /** How often the producer looks for a cancellation asked from another isolate. 500 ms. */
  cancelCheckMs?: number
  /** Shortest time between two appends; default `runLog.appendIntervalMs`, else 0. */
  appendIntervalMs?: number
}

/** A live run: its record, its events (tailed from the log) and a way to stop it. */
export interface StartedRun {
  run: RunInfo
  /** Every event from the first, read back from the log; stop reading whenever you like. */
  events: AsyncIterable<RunEntry>
  cancel(): Promise<void>
}

/**
 * Starts a turn as a run. The turn is driven by a producer handed to `defer`, not by the
 * caller's reading, so it finishes (and logs everything) even when the caller disconnects.
 * Events are appended with at most one write in flight: those that arrive meanwhile go in the
 * next write, so a slow store costs batching, not lost or reordered events. With an append
 * interval, a write also waits until that long after the previous one began (never at the
 * end), so a fast stream costs one round trip per interval rather than one per event.
 */
export async function startRun(
  options: StartRunOptions,
  turn: (signal: AbortSignal) => AsyncIterable<AgentEvent>,
): Promise<StartedRun> {
  const { runLog } = options
  const now = options.now ?? Date.now
  const checkEvery = options.cancelCheckMs ?? 500
  const interval = options.appendIntervalMs ?? runLog.appendIntervalMs ?? 0
  const run = await runLog.create({ id: options.id, meta: options.meta })
  const controller = new AbortController()

  const produce = async () => {
    let status: Exclude<RunStatus, 'running'> = 'failed'
    let pending: AgentEvent[] = []
    let writing: Promise<void> = Promise.resolve()
    let lost = false
    let lastWrite = Number.NEGATIVE_INFINITY
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
    // A failed write must not stall the chain: later events still get their chance.
    const flush = () => {
      writing = writing
        .then(async () => {
          const wait = lastWrite + interval - now()
          if (!ending && wait > 0) await pause(wait)
          const batch = pending
          pending = []
          if (batch.length === 0) return
          lastWrite = now()
          await runLog.append(run.id, batch)
        })
        .catch(() => {
          lost = true
        })
      return writing
    }
    let lastCheck = now()
    try {
      for await (const event of turn(controller.signal)) {
        pending.push(event)
        if (pending.length === 1) void flush()
        if (event.type === 'turn-end') {
          status =
            event.reason === 'error'
              ? 'failed'
              : event.reason === 'cancelled'
                ? 'cancelled'
                : 'done'
        }
        if (now() - lastCheck >= checkEvery) {
          lastCheck = now()
          if (await runLog.cancelRequested(run.id)) controller.abort()
        }
      }
    } catch (failure) {
      const code = (failure as { code?: unknown } | undefined)?.code
      options.logger?.error('run failed', {
        run_id: run.id,
        code: typeof code === 'string' ? code : 'unknown',
        name: failure instanceof Error ? failure.name : typeof failure,
      })
      pending.push({
        type: 'error',
        code: 'internal_error',
        message: 'The run failed unexpectedly',
        retryable: false,
      })
      status = 'failed'
    } finally {
      ending = true
      hurry()
      await flush()
      if (lost) options.logger?.error('run events not stored', { run_id: run.id })
      await runLog.finish(run.id, lost ? 'failed' : status).catch((failure: unknown) => {
        const code = (failure as { code?: unknown } | undefined)?.code
        options.logger?.error('run not finished', {
          run_id: run.id,
          code: typeof code === 'string' ? code : 'unknown',
        })
      })
    }
  }
  options.defer(produce())

  return {
    run,
    events: runLog.tail(run.id, 0),
    async cancel() {
      controller.abort()
      await runLog.requestCancel(run.id)
    },
  }
}
