import { describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../../src/core/agent/agent-event.ts'
import { runTurn } from '../../../src/core/agent/run-turn.ts'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import { createCatalog } from '../../../src/core/models/catalog.ts'
import { createModelProvider } from '../../../src/core/models/model-provider.ts'
import { createRouter } from '../../../src/core/models/router.ts'
import { createRunLog, type RunEntry } from '../../../src/core/runs/run-log.ts'
import { startRun } from '../../../src/core/runs/start-run.ts'
import { calculatorTool } from '../../../src/core/tools/calculator.ts'
import { currentTimeTool } from '../../../src/core/tools/current-time.ts'
import { createToolRegistry } from '../../../src/core/tools/registry.ts'
import { collect } from '../../support/collect.ts'

const delta = (text: string): AgentEvent => ({ type: 'text-delta', step: 1, text })
const texts = (entries: RunEntry[]) =>
  entries.map((e) => (e.event.type === 'text-delta' ? e.event.text : e.event.type))

describe('createRunLog', () => {
  it('appends with gapless sequence numbers and reads from any of them', async () => {
    let id = 0
    const log = createRunLog({ kv: createInMemoryKvStore(), newId: () => `r${++id}` })
    const run = await log.create({ meta: { conversation: 'c1' } })
    expect(run).toMatchObject({ id: 'r1', status: 'running', meta: { conversation: 'c1' } })
    expect(await log.append(run.id, [delta('a'), delta('b')])).toBe(2)
    expect(await log.append(run.id, [delta('c')])).toBe(3)
    expect((await log.read(run.id)).map((e) => e.seq)).toEqual([1, 2, 3])
    expect(texts(await log.read(run.id, 1))).toEqual(['b', 'c'])
    expect(texts(await log.read(run.id, 1, 1))).toEqual(['b'])
    expect(await log.read(run.id, 3)).toEqual([])
    await log.finish(run.id, 'completed')
    expect((await log.info(run.id))?.status).toBe('completed')
  })

  it('reads records written as `done` before the status vocabulary was unified as completed', async () => {
    const kv = createInMemoryKvStore()
    const log = createRunLog({ kv })
    const run = await log.create()
    await kv.set(`run:${run.id}`, { ...run, status: 'done' })
    expect((await log.info(run.id))?.status).toBe('completed')
  })

  it('tails a live run: backlog, then new events as they come, until it is final', async () => {
    const kv = createInMemoryKvStore()
    const writer = createRunLog({ kv, pollMinMs: 60_000, pollMaxMs: 60_000 })
    const reader = createRunLog({ kv, pollMinMs: 60_000, pollMaxMs: 60_000 })
    const run = await writer.create()
    await writer.append(run.id, [delta('one')])
    const seen: string[] = []
    const tailing = (async () => {
      for await (const entry of reader.tail(run.id, 0)) {
        seen.push(entry.event.type === 'text-delta' ? entry.event.text : entry.event.type)
        // The in-process wake-up must deliver these: the poll would only come after the test timeout.
        if (seen.length === 1) await writer.append(run.id, [delta('two')])
        if (seen.length === 2) {
          await writer.append(run.id, [delta('three')])
          await writer.finish(run.id, 'completed')
        }
      }
    })()
    await tailing
    expect(seen).toEqual(['one', 'two', 'three'])
  })

  it('polls a store written by another isolate', async () => {
    const kv = createInMemoryKvStore()
    const reader = createRunLog({ kv, pollMinMs: 1, pollMaxMs: 4 })
    await reader.create({ id: 'x' })
    // Another isolate: same data, no shared wake-ups.
    const elsewhere = { ...kv }
    const writer = createRunLog({ kv: elsewhere })
    setTimeout(async () => {
      await writer.append('x', [delta('late')])
      await writer.finish('x', 'failed')
    }, 20)
    expect(texts(await collect(reader.tail('x', 0)))).toEqual(['late'])
  })

  it('resumes after a given sequence number, and rejects unknown runs', async () => {
    const log = createRunLog({ kv: createInMemoryKvStore() })
    const run = await log.create()
    await log.append(run.id, [delta('a'), delta('b'), delta('c')])
    await log.finish(run.id, 'completed')
    expect(texts(await collect(log.tail(run.id, 2)))).toEqual(['c'])
    await expect(collect(log.tail('nope'))).rejects.toMatchObject({ code: 'not_found' })
  })

  it('forgets runs after the TTL', async () => {
    let time = 0
    const log = createRunLog({
      kv: createInMemoryKvStore({ now: () => time }),
      now: () => time,
      ttlMs: 1000,
    })
    const run = await log.create()
    await log.append(run.id, [delta('a')])
    time = 1001
    expect(await log.info(run.id)).toBeUndefined()
    expect(await log.read(run.id)).toEqual([])
  })
})

describe('startRun', () => {
  const catalog = createCatalog({})
  const deps = {
    router: createRouter({ catalog }),
    models: createModelProvider({ catalog, demo: { sleep: async () => {} } }),
    tools: createToolRegistry({ tools: [currentTimeTool, calculatorTool] }),
  }

  it('keeps the turn going and logs it all when the caller goes away', async () => {
    const log = createRunLog({ kv: createInMemoryKvStore() })
    const deferred: Promise<unknown>[] = []
    const started = await startRun({ runLog: log, defer: (p) => deferred.push(p) }, (signal) =>
      runTurn(deps, { message: 'what is 2 ^ 10?' }, signal),
    )
    for await (const entry of started.events) {
      expect(entry.seq).toBe(1)
      break // the client disconnects after the first event
    }
    await Promise.all(deferred)
    const entries = await log.read(started.id)
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1))
    const end = entries.at(-1)?.event
    expect(end).toMatchObject({ type: 'turn-end', reason: 'done' })
    expect(end?.type === 'turn-end' && end.text).toContain('2 ^ 10 = 1024')
    expect((await log.info(started.id))?.status).toBe('completed')
  })

  it('lets a second viewer replay and follow the same run', async () => {
    const log = createRunLog({ kv: createInMemoryKvStore() })
    const deferred: Promise<unknown>[] = []
    const started = await startRun({ runLog: log, defer: (p) => deferred.push(p) }, (signal) =>
      runTurn(deps, { message: 'What time is it?' }, signal),
    )
    const [first, second] = await Promise.all([
      collect(started.events),
      collect(log.tail(started.id)),
    ])
    await Promise.all(deferred)
    expect(first.length).toBeGreaterThan(5)
    expect(second).toEqual(first)
  })

  it('cancels from another isolate through the store', async () => {
    const kv = createInMemoryKvStore()
    const log = createRunLog({ kv })
    const deferred: Promise<unknown>[] = []
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const started = await startRun(
      { runLog: log, defer: (p) => deferred.push(p), cancelCheckMs: 0 },
      async function* (signal) {
        yield delta('first')
        await gate
        yield delta('second')
        yield {
          type: 'turn-end',
          reason: signal.aborted ? 'cancelled' : 'done',
          text: '',
          model: undefined,
          steps: 1,
          usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
        }
      },
    )
    await createRunLog({ kv }).requestCancel(started.id)
    release()
    await Promise.all(deferred)
    expect((await log.info(started.id))?.status).toBe('cancelled')
  })
})

/** A KV store that counts its calls by method: each is a round trip on Upstash. */
function countingKv() {
  const kv = createInMemoryKvStore()
  const calls: Record<string, number> = {}
  const counted = Object.fromEntries(
    Object.entries(kv).map(([name, method]) => [
      name,
      (...args: unknown[]) => {
        calls[name] = (calls[name] ?? 0) + 1
        return (method as (...a: unknown[]) => unknown)(...args)
      },
    ]),
  ) as unknown as typeof kv
  return { kv: counted, calls }
}

describe('the run log in round trips', () => {
  it('ends the events with a marker: one read replays a finished run, and read hides it', async () => {
    const { kv, calls } = countingKv()
    const log = createRunLog({ kv })
    const run = await log.create()
    await log.append(run.id, [delta('a'), delta('b')])
    await log.finish(run.id, 'completed')
    // create and finish write the record; the events, then the end marker.
    expect(calls).toEqual({ set: 2, append: 2 })
    expect(await kv.length(`run:${run.id}:events`)).toBe(3)
    expect(texts(await log.read(run.id))).toEqual(['a', 'b'])
    for (const key of Object.keys(calls)) delete calls[key]
    // Read by another isolate's log (no shared wake-ups), as a reconnecting client would.
    expect(texts(await collect(createRunLog({ kv }).tail(run.id, 0)))).toEqual(['a', 'b'])
    expect(calls).toEqual({ range: 1 })
  })

  it('startRun with an append interval writes the first event at once, the rest at the end', async () => {
    const { kv, calls } = countingKv()
    const log = createRunLog({ kv, appendIntervalMs: 60_000 })
    const deferred: Promise<unknown>[] = []
    const started = await startRun(
      { runLog: log, defer: (p) => deferred.push(p) },
      async function* () {
        for (let i = 0; i < 10; i++) {
          await new Promise((resolve) => setTimeout(resolve, 1))
          yield delta(String(i))
        }
      },
    )
    const seen = texts(await collect(started.events))
    await Promise.all(deferred)
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    // The first event, then the other nine together with the end marker when the turn ended.
    expect(calls.append).toBe(2)
  })
})
