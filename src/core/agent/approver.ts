/** What the user may answer to a tool call that waits for approval. */
export type ApprovalDecision = 'approve' | 'deny'

/** A decision, and who made it (`timeout`: nobody answered in time, which denies). */
export interface ApprovalVerdict {
  decision: ApprovalDecision
  by: 'user' | 'timeout'
}

/** One tool call waiting for the user's approval. */
export interface ApprovalRequest {
  callId: string
  name: string
  input: unknown
  /** When no answer counts as Deny, in epoch milliseconds. */
  deadline: number
}

/**
 * How a turn asks its user about tool calls that need approval (see `runTurn`), bound to one
 * run. `open` makes the request answerable before the turn announces it; `wait` resolves with
 * the verdict, or `cancelled` when the run was cancelled meanwhile (here or elsewhere).
 */
export interface Approver {
  /** How long a request stays open. */
  readonly timeoutMs: number
  open(request: ApprovalRequest): Promise<void>
  wait(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalVerdict | 'cancelled'>
}
