import type { ToolCall } from '../models/chat-model.ts'
import type { ToolRegistry, ToolResult } from '../tools/registry.ts'
import type { AgentEvent } from './agent-event.ts'
import type { Approver } from './approver.ts'

/** One step's tool calls, as `runTurn` hands them over. */
export interface ToolCallStep {
  step: number
  calls: ToolCall[]
  registry: ToolRegistry
  approver?: Approver
  now?: () => number
  /** The guard's verdict on a result, reported right after that result. */
  verdictFor?: (callId: string) => AgentEvent | undefined
}

/**
 * Runs one step's tool calls. Calls that need approval pause the step: every request is
 * announced at once, then the verdicts are awaited (and reported) in the order of the calls.
 * The tools then run in parallel; results are reported in the order of the calls. Returns
 * the results to feed back to the model, or `cancelled` when the run was cancelled while it
 * waited for a verdict.
 */
export async function* runToolCalls(
  input: ToolCallStep,
  signal?: AbortSignal,
): AsyncGenerator<AgentEvent, ToolResult[] | 'cancelled'> {
  const { step, calls, registry, approver } = input
  const denied = new Map<string, string>()
  const asking = calls.filter((call) => registry.needsApproval(call.name))
  if (asking.length > 0 && !approver) {
    for (const call of asking) denied.set(call.id, noApprover)
  } else if (approver && asking.length > 0) {
    const deadline = (input.now ?? Date.now)() + approver.timeoutMs
    const requests = asking.map((call) => ({
      callId: call.id,
      name: call.name,
      input: call.input,
      deadline,
    }))
    for (const request of requests) {
      await approver.open(request)
      yield {
        type: 'approval-request',
        step,
        id: request.callId,
        name: request.name,
        input: request.input,
        deadline,
      }
    }
    for (const request of requests) {
      const verdict = await approver.wait(request, signal)
      if (verdict === 'cancelled' || signal?.aborted) return 'cancelled'
      yield { type: 'approval', step, id: request.callId, name: request.name, ...verdict }
      if (verdict.decision === 'deny') {
        denied.set(request.callId, verdict.by === 'timeout' ? deniedByTimeout : deniedByUser)
      }
    }
  }
  const results = await Promise.all(
    calls.map((call) => {
      const refusal = denied.get(call.id)
      return refusal === undefined ? registry.execute(call, signal) : deniedResult(call, refusal)
    }),
  )
  const reported: ToolResult[] = []
  for (const result of results) {
    if (!result) continue
    yield {
      type: 'tool-result',
      step,
      id: result.callId,
      name: result.name,
      ok: result.ok,
      content: result.content,
      durationMs: result.durationMs,
    }
    const verdict = input.verdictFor?.(result.callId)
    if (verdict) yield verdict
    reported.push(result)
  }
  return reported
}

const deniedByUser = 'The user denied this tool call, so it did not run.'
const deniedByTimeout = 'Nobody approved this tool call in time, so it did not run.'
const noApprover = "This tool needs the user's approval, and this run cannot ask for it."

/** The result the model sees for a call that was not allowed to run. */
function deniedResult(call: ToolCall, message: string): ToolResult {
  return {
    callId: call.id,
    name: call.name,
    ok: false,
    error: { code: 'denied', message },
    content: `Error (denied): ${message}`,
    durationMs: 0,
  }
}
