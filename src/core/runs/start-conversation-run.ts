import type { AgentEvent } from '../agent/agent-event.ts'
import { NotFoundError } from '../errors.ts'
import type { Logger } from '../telemetry/logger.ts'
import type { LiveRuns } from './live-runs.ts'
import type { RunAccessDeps } from './run-access.ts'
import { type StartedRun, startRun } from './start-run.ts'

/** What starting a conversation's run needs. */
export interface ConversationRunDeps extends RunAccessDeps {
  live: LiveRuns
  defer(promise: Promise<unknown>): void
  now?: () => number
  logger?: Logger
}

/**
 * Starts a run in a conversation: the history row, the run log and the live pointer are
 * written together, under one id, before the turn starts. If the log cannot take the run, the
 * history row is marked failed rather than left "running" forever. Rejects with
 * `NotFoundError` when the owner cannot see the conversation.
 */
export async function startConversationRun(
  deps: ConversationRunDeps,
  scope: { ownerId: string; conversationId: string; live?: boolean },
  turn: (runId: string, signal: AbortSignal) => AsyncIterable<AgentEvent>,
): Promise<StartedRun> {
  const now = deps.now ?? Date.now
  const { ownerId, conversationId } = scope
  const run = await deps.history.createRun(ownerId, { conversationId })
  if (!run) throw new NotFoundError('No such conversation')
  try {
    const started = await startRun(
      {
        runLog: deps.runLog,
        defer: deps.defer,
        id: run.id,
        meta: { ownerId, conversationId },
        now,
        ...(deps.logger ? { logger: deps.logger } : {}),
      },
      (signal) => turn(run.id, signal),
    )
    // Pages of the conversation show the run live; programs' runs have no page to show, but
    // are remembered too, so an edit waits for them as for any answer being written.
    await deps.live.remember(conversationId, run.id, { shown: scope.live !== false })
    return started
  } catch (error) {
    await deps.history
      .updateRun(ownerId, run.id, {
        status: 'failed',
        error: { code: 'run_not_started', message: 'The run could not be started' },
        finishedAt: now(),
      })
      .catch(() => {})
    throw error
  }
}
