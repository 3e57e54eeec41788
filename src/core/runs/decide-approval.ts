import type { ApprovalDecision } from '../agent/approver.ts'
import { AppError, NotFoundError } from '../errors.ts'
import { getRun, type RunAccessDeps, type RunScope } from './run-access.ts'
import type { RunApprovals } from './run-approvals.ts'

/** What deciding an approval needs: the run's stores and the approvals (without them, no run waits). */
export interface ApprovalDeps extends RunAccessDeps {
  approvals?: RunApprovals
}

/**
 * The user's answer to a tool call waiting for approval, from any surface. The run must be
 * the owner's (else `NotFoundError`, like a missing one) and live (else `run_not_live`, 409);
 * the call must be waiting in it (else `NotFoundError`) and not decided yet, by the user or
 * the timeout (`approval_decided`, 409).
 */
export async function decideApproval(
  deps: ApprovalDeps,
  ownerId: string,
  input: { runId: string; callId: string; decision: ApprovalDecision },
  scope: RunScope = {},
): Promise<void> {
  const { live } = await getRun(deps, ownerId, input.runId, scope)
  if (!live) throw new AppError('run_not_live', 'The run has already ended', { status: 409 })
  const result =
    (await deps.approvals?.decide(input.runId, input.callId, input.decision)) ?? 'unknown'
  if (result === 'unknown') throw new NotFoundError('No such approval request in this run')
  if (result === 'already-decided') {
    throw new AppError('approval_decided', 'This tool call has already been decided', {
      status: 409,
    })
  }
}
