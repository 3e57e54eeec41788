import { describe, expect, it } from 'vitest'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import type { KvStore } from '../../../src/core/memory/kv-store.ts'
import { createRunApprovals } from '../../../src/core/runs/run-approvals.ts'

const request = (deadline: number) => ({ callId: 'c1', name: 'rm', input: {}, deadline })
const options = (kv: KvStore, cancelled = () => false) => ({
  kv,
  timeoutMs: 60_000,
  ttlMs: 60_000,
  cancelRequested: async () => cancelled(),
  pollMinMs: 5,
  pollMaxMs: 20,
})

describe('createRunApprovals', () => {
  it('hands a decision to the waiting run; the call cannot be decided twice', async () => {
    const approvals = createRunApprovals(options(createInMemoryKvStore()))
    const approver = approvals.approver('r1')
    const asked = request(Date.now() + 60_000)
    expect(await approvals.decide('r1', 'c1', 'approve')).toBe('unknown')
    await approver.open(asked)
    const waiting = approver.wait(asked)
    expect(await approvals.decide('r1', 'c1', 'approve')).toBe('decided')
    expect(await waiting).toEqual({ decision: 'approve', by: 'user' })
    expect(await approvals.decide('r1', 'c1', 'deny')).toBe('already-decided')
    expect(await approvals.decide('r2', 'c1', 'deny')).toBe('unknown')
  })

  it('reaches a run waiting in another isolate through the shared store', async () => {
    const shared = createInMemoryKvStore()
    // Another object over the same data: no in-process wake-ups cross, only the store does.
    const elsewhere: KvStore = {
      get: (key) => shared.get(key),
      set: (key, value, o) => shared.set(key, value, o),
      delete: (key) => shared.delete(key),
      increment: (key, by, o) => shared.increment(key, by, o),
      append: (key, values, o) => shared.append(key, values, o),
      range: (key, start, stop) => shared.range(key, start, stop),
      trim: (key, start, stop) => shared.trim(key, start, stop),
      length: (key) => shared.length(key),
      expire: (key, ms) => shared.expire(key, ms),
    }
    const producer = createRunApprovals(options(shared)).approver('r1')
    const asked = request(Date.now() + 60_000)
    await producer.open(asked)
    const waiting = producer.wait(asked)
    expect(await createRunApprovals(options(elsewhere)).decide('r1', 'c1', 'deny')).toBe('decided')
    expect(await waiting).toEqual({ decision: 'deny', by: 'user' })
  })

  it('denies at the deadline, and a late decision finds it decided', async () => {
    const approvals = createRunApprovals(options(createInMemoryKvStore()))
    const asked = request(Date.now() + 30)
    await approvals.approver('r1').open(asked)
    expect(await approvals.approver('r1').wait(asked)).toEqual({ decision: 'deny', by: 'timeout' })
    expect(await approvals.decide('r1', 'c1', 'approve')).toBe('already-decided')
  })

  it('stops waiting when the run is cancelled, here or elsewhere', async () => {
    let cancelled = false
    const approvals = createRunApprovals(options(createInMemoryKvStore(), () => cancelled))
    const asked = request(Date.now() + 60_000)
    await approvals.approver('r1').open(asked)
    const remote = approvals.approver('r1').wait(asked)
    cancelled = true
    expect(await remote).toBe('cancelled')
    const local = new AbortController()
    cancelled = false
    const here = approvals.approver('r1').wait(asked, local.signal)
    local.abort()
    expect(await here).toBe('cancelled')
  })
})
