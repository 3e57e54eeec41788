import { describe, expect, it } from 'vitest'
import { createMemory } from '../../../src/core/memory/create-memory.ts'
import { createRunLog } from '../../../src/core/runs/run-log.ts'

describe('createMemory: where run logs live', () => {
  it('keeps embedded run logs apart, so a burst of them evicts no counter', async () => {
    const memory = createMemory({ config: {} })
    expect(await memory.kv.increment('spend:month:key-1', 5)).toBe(5)
    await memory.kv.set('session:c1', { messages: ['hello'] })
    const runLog = createRunLog({ kv: memory.runKv })
    // 30 000 runs: past both bounds (keys and bytes) of the working memory, were they there.
    const answer = 'x'.repeat(400)
    for (let i = 0; i < 30_000; i++) {
      const run = await runLog.create({ ttlMs: 300_000 })
      await runLog.append(run.id, [{ type: 'text-delta', step: 1, text: answer }])
      await runLog.finish(run.id, 'completed')
    }
    expect(await memory.kv.get('spend:month:key-1')).toBe(5)
    expect(await memory.kv.get('session:c1')).toEqual({ messages: ['hello'] })
    const last = await runLog.create()
    expect(await runLog.info(last.id)).toMatchObject({ status: 'running' })
  })

  it('keeps run logs in the remote store itself, where nothing evicts', () => {
    const memory = createMemory({
      config: { UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1', UPSTASH_REDIS_REST_TOKEN: 't' },
    })
    expect(memory.runKv).toBe(memory.kv)
  })
})
