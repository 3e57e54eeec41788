import { describe, expect, it } from 'vitest'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import { createRunLog, type RunLog } from '../../../src/core/runs/run-log.ts'
import { createRunRecorder } from '../../../src/core/runs/run-recorder.ts'

/** A run log over the embedded store that counts its appends and the events its end carries. */
function countingRunLog(): { runLog: RunLog; appends: () => number; withEnd: () => number } {
  const inner = createRunLog({ kv: createInMemoryKvStore() })
  let appends = 0
  let withEnd = 0
  return {
    runLog: {
      ...inner,
      append: (...args) => {
        appends++
        return inner.append(...args)
      },
      finish: (runId, status, events) => {
        withEnd += events?.length ?? 0
        return inner.finish(runId, status, events)
      },
    },
    appends: () => appends,
    withEnd: () => withEnd,
  }
}

const usage = { inputTokens: 3, outputTokens: 2, costUsd: 0 }
const end = {
  type: 'turn-end',
  reason: 'done',
  text: 'Hello',
  model: 'm',
  steps: 1,
  usage,
} as const

const answer = async (recorder: ReturnType<typeof createRunRecorder>) => {
  recorder.record({ type: 'text-delta', step: 1, text: 'Hel' })
  // The producer yields between events, as a model stream does.
  await new Promise((resolve) => setTimeout(resolve, 1))
  recorder.record({ type: 'text-delta', step: 1, text: 'lo' })
  recorder.record(end)
  return recorder.close()
}

describe('run recorder', () => {
  it('writes a short answer with its end, in one write, when the first append waits', async () => {
    const { runLog, appends, withEnd } = countingRunLog()
    const recorder = createRunRecorder(runLog, 'r1', {
      create: {},
      intervalMs: 10_000,
      mergeText: true,
      firstAppendWaits: true,
    })
    expect(await answer(recorder)).toMatchObject({ status: 'completed' })
    expect(appends()).toBe(0)
    expect(withEnd()).toBe(2)
    const events = (await runLog.read('r1')).map((entry) => entry.event)
    expect(events).toEqual([{ type: 'text-delta', step: 1, text: 'Hello' }, end])
    expect((await runLog.info('r1'))?.status).toBe('completed')
  })

  it('writes the first event at once otherwise, for readers that follow the run live', async () => {
    const { runLog, appends, withEnd } = countingRunLog()
    const recorder = createRunRecorder(runLog, 'r2', { create: {}, intervalMs: 10_000 })
    await answer(recorder)
    // The first event at once; the rest, waiting for the interval when the run ended, with it.
    expect(appends()).toBe(1)
    expect(withEnd()).toBe(2)
    expect(await runLog.read('r2')).toHaveLength(3)
  })

  it('fails the run when its last events cannot be written with its end', async () => {
    const { runLog } = countingRunLog()
    const failing: RunLog = {
      ...runLog,
      finish: async () => {
        throw new Error('store down')
      },
    }
    const recorder = createRunRecorder(failing, 'r3', {
      create: {},
      intervalMs: 10_000,
      firstAppendWaits: true,
    })
    expect(await answer(recorder)).toMatchObject({ status: 'failed' })
  })
})
