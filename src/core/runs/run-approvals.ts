import type {
  ApprovalDecision,
  ApprovalRequest,
  ApprovalVerdict,
  Approver,
} from '../agent/approver.ts'
import type { KvStore } from '../memory/kv-store.ts'

/** What became of a decision sent for a run's tool call. */
export type DecideResult = 'decided' | 'unknown' | 'already-decided'

/**
 * Approvals of tool calls, delivered through the KV store: the run's producer opens a request
 * and waits; a decision may come from any request handler in any isolate that shares the
 * store (Workers route the decision wherever they like). In this isolate a decision wakes the
 * waiter at once; elsewhere the waiter finds it by polling.
 */
export interface RunApprovals {
  /** The turn's side, bound to one run. */
  approver(runId: string): Approver
  /** Records the user's decision, unless the call is unknown or decided (timeout included). */
  decide(runId: string, callId: string, decision: ApprovalDecision): Promise<DecideResult>
}

/** Options of `createRunApprovals`. */
export interface RunApprovalsOptions {
  kv: KvStore
  /** How long a request waits for its answer. */
  timeoutMs: number
  /** Whether the run was asked to stop from elsewhere (`RunLog.cancelRequested`). */
  cancelRequested: (runId: string) => Promise<boolean>
  /** How long the records stay after the deadline: the run log's lifetime. */
  ttlMs: number
  now?: () => number
  /** Polling bounds while waiting; the upper bound is also how late a remote cancel is seen. */
  pollMinMs?: number
  pollMaxMs?: number
  prefix?: string
}

type Waiter = () => void
// Wake-ups per store object, so every instance over one store in this isolate shares them.
const waiters = new WeakMap<KvStore, Map<string, Set<Waiter>>>()

/** Creates the approvals over a `KvStore`. */
export function createRunApprovals(options: RunApprovalsOptions): RunApprovals {
  const { kv, ttlMs } = options
  const now = options.now ?? Date.now
  const pollMin = options.pollMinMs ?? 25
  const pollMax = options.pollMaxMs ?? 500
  const prefix = options.prefix ?? 'approval:'
  const keys = (runId: string, callId: string) => {
    const base = `${prefix}${runId}:${callId}`
    return { request: base, verdict: `${base}:verdict` }
  }
  const registry = waiters.get(kv) ?? new Map<string, Set<Waiter>>()
  waiters.set(kv, registry)
  const nap = (key: string, ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      const set = registry.get(key) ?? new Set<Waiter>()
      registry.set(key, set)
      const done = () => {
        clearTimeout(timer)
        set.delete(done)
        if (set.size === 0) registry.delete(key)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      set.add(done)
      signal?.addEventListener('abort', done, { once: true })
    })
  const lifetime = (deadline: number) => Math.max(deadline - now(), 0) + ttlMs

  return {
    approver(runId) {
      return {
        timeoutMs: options.timeoutMs,
        async open(request) {
          const { callId, name, deadline } = request
          await kv.set(
            keys(runId, callId).request,
            { name, deadline },
            { ttlMs: lifetime(deadline) },
          )
        },
        async wait(request: ApprovalRequest, signal?: AbortSignal) {
          const key = keys(runId, request.callId).verdict
          let delay = pollMin
          while (!signal?.aborted) {
            const verdict = await kv.get<ApprovalVerdict>(key)
            if (verdict) return verdict
            if (await options.cancelRequested(runId)) return 'cancelled'
            const left = request.deadline - now()
            if (left <= 0) {
              // The timeout decides like a user would: whoever writes first wins.
              const timedOut: ApprovalVerdict = { decision: 'deny', by: 'timeout' }
              await kv.set(key, timedOut, { ifAbsent: true, ttlMs })
              return (await kv.get<ApprovalVerdict>(key)) ?? timedOut
            }
            await nap(key, Math.min(delay, left), signal)
            delay = Math.min(delay * 2, pollMax)
          }
          return 'cancelled'
        },
      }
    },

    async decide(runId, callId, decision) {
      const { request, verdict } = keys(runId, callId)
      const open = await kv.get<{ deadline: number }>(request)
      if (!open) return 'unknown'
      if (now() >= open.deadline) return 'already-decided'
      const value: ApprovalVerdict = { decision, by: 'user' }
      const won = await kv.set(verdict, value, { ifAbsent: true, ttlMs: lifetime(open.deadline) })
      if (!won) return 'already-decided'
      for (const wake of registry.get(verdict) ?? []) wake()
      return 'decided'
    },
  }
}
