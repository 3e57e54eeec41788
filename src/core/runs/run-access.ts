import type { Run } from '../domain/history-records.ts'
import { NotFoundError } from '../errors.ts'
import type { HistoryStore } from '../memory/history-store.ts'
import type { RunEntry, RunInfo, RunLog } from './run-log.ts'

/** Where runs are recorded: history (the lasting record) and the run log (the events). */
export interface RunAccessDeps {
  history: HistoryStore
  runLog: RunLog
}

/** Narrows a lookup: a run reached through a conversation's URL must belong to it. */
export interface RunScope {
  conversationId?: string
}

/** A run the owner may see, and where its events stand. */
export interface VisibleRun {
  run: Run
  /** Still producing events. */
  live: boolean
  /** Its events are still in the run log (they expire after RUN_TTL_SECONDS; history stays). */
  logged: boolean
}

/**
 * The one ownership check of runs. A run of another owner, of a deleted conversation or of
 * another conversation than `scope.conversationId` is not found, exactly like a missing one.
 */
export async function getRun(
  deps: RunAccessDeps,
  ownerId: string,
  runId: string,
  scope: RunScope = {},
): Promise<VisibleRun> {
  return visibleRun(deps, ownerId, runId, scope, await deps.runLog.info(runId))
}

async function visibleRun(
  deps: RunAccessDeps,
  ownerId: string,
  runId: string,
  scope: RunScope,
  info: RunInfo | undefined,
): Promise<VisibleRun> {
  const run = await deps.history.getRun(ownerId, runId)
  if (!run || (scope.conversationId !== undefined && run.conversationId !== scope.conversationId)) {
    throw new NotFoundError('No such run')
  }
  return { run, live: info?.status === 'running', logged: info !== undefined }
}

/**
 * The run's events after `afterSeq` (its `Last-Event-ID`), then new ones as they come, until
 * the run ends or `signal` aborts. Runs without a conversation (the compatible endpoints')
 * exist only in the log, which names their owner.
 */
export async function followRun(
  deps: RunAccessDeps,
  ownerId: string,
  runId: string,
  afterSeq: number,
  options: RunScope & { signal?: AbortSignal } = {},
): Promise<AsyncIterable<RunEntry>> {
  const logged = await loggedRun(deps, ownerId, runId, options)
  if (!logged) throw new NotFoundError('This run has expired from the run log')
  return deps.runLog.tail(runId, afterSeq, options.signal)
}

/** Asks a live run to stop, wherever it runs. Returns false when it had already ended. */
export async function cancelRun(
  deps: RunAccessDeps,
  ownerId: string,
  runId: string,
  scope: RunScope = {},
): Promise<boolean> {
  const info = await loggedRun(deps, ownerId, runId, scope)
  if (info?.status !== 'running') return false
  await deps.runLog.requestCancel(runId)
  return true
}

async function loggedRun(deps: RunAccessDeps, ownerId: string, runId: string, scope: RunScope) {
  const info = await deps.runLog.info(runId)
  const stateless = info?.meta?.conversationId === undefined && info?.meta?.ownerId === ownerId
  if (!(stateless && scope.conversationId === undefined)) {
    await visibleRun(deps, ownerId, runId, scope, info)
  }
  return info
}
