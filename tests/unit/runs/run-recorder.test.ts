import { describe, expect, it } from 'vitest'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import { createRunLog, type RunLog } from '../../../src/core/runs/run-log.ts'
import { createRunRecorder } from '../../../src/core/runs/run-recorder.ts'

/** A run log over the embedded store that counts its appends. */
function countingRunLog(): { runLog: RunLog; appends: () => number } {
  const inner = createRunLog({ kv: createInMemoryKvStore() })
  let appends = 0
  return {
    runLog: {
      ...inner,
      append: (...args) => {
        appends++
        return inner.append(...args)
      },
    },
    appends: () => appends,
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
  it('writes a short answer in one append when the first append waits for the interval', async () => {
    const { runLog, appends } = countingRunLog()
    const recorder = createRunRecorder(runLog, 'r1', {
      create: {},
      intervalMs: 10_000,
      mergeText: true,
      firstAppendWaits: true,
    })
    expect(await answer(recorder)).toMatchObject({ status: 'completed' })
    expect(appends()).toBe(1)
    const events = (await runLog.read('r1')).map((entry) => entry.event)
    expect(events).toEqual([{ type: 'text-delta', step: 1, text: 'Hello' }, end])
    expect((await runLog.info('r1'))?.status).toBe('completed')
  })

  it('writes the first event at once otherwise, for readers that follow the run live', async () => {
    const { runLog, appends } = countingRunLog()
    const recorder = createRunRecorder(runLog, 'r2', { create: {}, intervalMs: 10_000 })
    await answer(recorder)
    expect(appends()).toBe(2)
    expect(await runLog.read('r2')).toHaveLength(3)
  })
})
