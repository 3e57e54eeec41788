import { NotFoundError } from '../errors.ts'
import type { Run } from '../memory/history-store.ts'
import type { RunEntry } from '../runs/run-log.ts'
import type { ChatDeps } from './chat-deps.ts'

/**
 * A run the owner may see: its history record, and whether its events are still in the run
 * log (they expire after RUN_TTL_SECONDS; the stored messages do not).
 */
export async function getRun(
  deps: Pick<ChatDeps, 'history' | 'runLog'>,
  ownerId: string,
  runId: string,
): Promise<{ run: Run; live: boolean; logged: boolean }> {
  const run = await deps.history.getRun(ownerId, runId)
  if (!run) throw new NotFoundError('No such run')
  const info = await deps.runLog.info(runId)
  return { run, live: info?.status === 'running', logged: info !== undefined }
}

/**
 * The run's events after `afterSeq` (its `Last-Event-ID`), then new ones as they come, until
 * the run ends or `signal` aborts. Another owner's run is not found, exactly like a missing one.
 */
export async function followRun(
  deps: Pick<ChatDeps, 'history' | 'runLog'>,
  ownerId: string,
  runId: string,
  afterSeq: number,
  signal?: AbortSignal,
): Promise<AsyncIterable<RunEntry>> {
  const { logged } = await getRun(deps, ownerId, runId)
  if (!logged) throw new NotFoundError('This run has expired from the run log')
  return deps.runLog.tail(runId, afterSeq, signal)
}

/** Asks a live run to stop, wherever it runs. Returns false when it had already ended. */
export async function cancelRun(
  deps: Pick<ChatDeps, 'history' | 'runLog'>,
  ownerId: string,
  runId: string,
): Promise<boolean> {
  const { live } = await getRun(deps, ownerId, runId)
  if (!live) return false
  await deps.runLog.requestCancel(runId)
  return true
}
