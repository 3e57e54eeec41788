/**
 * Where a run is in its life, in one vocabulary for the run log, history and every client.
 * Everything but `running` is final. (The run log once wrote `done` for `completed`; readers
 * of old log records go through `runStatus`.)
 */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled'

/** The final statuses. */
export type FinalRunStatus = Exclude<RunStatus, 'running'>

/** Every status, for schemas and exhaustive lists. */
export const runStatuses = [
  'running',
  'completed',
  'failed',
  'cancelled',
] as const satisfies readonly RunStatus[]

/** A stored status in today's vocabulary: log records written before the rename said `done`. */
export function runStatus(stored: string): RunStatus {
  if (stored === 'done') return 'completed'
  return (runStatuses as readonly string[]).includes(stored) ? (stored as RunStatus) : 'failed'
}
