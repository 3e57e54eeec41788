import type { AgentEvent } from '../agent/agent-event.ts'
import type { Logger } from '../telemetry/logger.ts'
import type { RunEntry, RunLog } from './run-log.ts'
import { createRunRecorder, type RunOutcome } from './run-recorder.ts'

/** What `startRun` needs. */
export interface StartRunOptions {
  runLog: RunLog
  /** Keeps background work alive after the response: `waitUntil` on Workers. */
  defer: (work: Promise<unknown>) => void
  id?: string
  meta?: Record<string, unknown>
  /** This run's lifetime in the log, when not the log's default. */
  ttlMs?: number
  now?: () => number
  /** Where a failed run is reported, by error code (never with user or model text). */
  logger?: Logger
  /** How often the producer looks for a cancellation asked from another isolate. 500 ms. */
  cancelCheckMs?: number
  /** Shortest time between two appends; default `runLog.appendIntervalMs`, else 0. */
  appendIntervalMs?: number
}

/** A live run: its id, its events (tailed from the log), a way to stop it and its outcome. */
export interface StartedRun {
  readonly id: string
  /** Every event from the first, read back from the log; stop reading whenever you like. */
  events: AsyncIterable<RunEntry>
  cancel(): Promise<void>
  /** Resolves (never rejects) once the run is final and fully logged. */
  settled: Promise<RunOutcome>
}

/**
 * Starts a turn as a run. The turn is driven by a producer handed to `defer`, not by the
 * caller's reading, so it finishes (and logs everything) even when the caller disconnects.
 */
export async function startRun(
  options: StartRunOptions,
  turn: (signal: AbortSignal) => AsyncIterable<AgentEvent>,
): Promise<StartedRun> {
  const { runLog } = options
  const now = options.now ?? Date.now
  const checkEvery = options.cancelCheckMs ?? 500
  const run = await runLog.create({ id: options.id, meta: options.meta, ttlMs: options.ttlMs })
  const controller = new AbortController()
  const recorder = createRunRecorder(runLog, run.id, {
    logger: options.logger,
    intervalMs: options.appendIntervalMs ?? runLog.appendIntervalMs ?? 0,
    now,
  })
  let settle: (outcome: RunOutcome) => void = () => {}
  const settled = new Promise<RunOutcome>((resolve) => {
    settle = resolve
  })

  const produce = async () => {
    let lastCheck = now()
    try {
      for await (const event of turn(controller.signal)) {
        recorder.record(event)
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
      recorder.fail()
    } finally {
      settle(await recorder.close())
    }
  }
  options.defer(produce())

  return {
    id: run.id,
    events: runLog.tail(run.id, 0),
    async cancel() {
      controller.abort()
      await runLog.requestCancel(run.id)
    },
    settled,
  }
}
