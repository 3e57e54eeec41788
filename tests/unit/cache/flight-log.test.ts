import { describe, expect, it } from 'vitest'
import { createFlightLog } from '../../../src/core/cache/flight-log.ts'
import { StoreError } from '../../../src/core/errors.ts'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import type { KvStore } from '../../../src/core/memory/kv-store.ts'
import type { FallbackEvent } from '../../../src/core/models/fallback.ts'
import { collect, collectUntilError } from '../../support/collect.ts'

const delta = (text: string): FallbackEvent => ({ type: 'text-delta', text })

/** The in-memory store, with every other `range` failing as `fail` says. */
function flakyReads(fail: () => Error): KvStore {
  const kv = createInMemoryKvStore()
  let reads = 0
  return {
    ...kv,
    range: async (key, start, stop) => {
      reads += 1
      if (reads % 2 === 1) throw fail()
      return kv.range(key, start, stop)
    },
  }
}

const transient = () =>
  new StoreError('kv', 'kv range failed (store_unavailable): socket hang up', {
    code: 'store_unavailable',
    retryable: true,
  })

describe('the flight log, followed over a store that fails now and then', () => {
  it('hands a follower every record when reads fail transiently', async () => {
    const kv = flakyReads(transient)
    const log = createFlightLog({ kv, pollMinMs: 1, pollMaxMs: 2 })
    const writer = log.writer('f1')
    const followed = collect(log.follow('f1', undefined, async () => true))
    for (const word of ['one ', 'answer ', 'for all']) {
      writer.write({ event: delta(word) })
      await new Promise((resolve) => setTimeout(resolve, 3))
    }
    writer.write({ end: true })
    await writer.flushed()
    expect(await followed).toEqual([delta('one '), delta('answer '), delta('for all')])
  })

  it('still fails at once on a store failure that retrying cannot fix', async () => {
    const refused = new StoreError('kv', 'kv range failed (store_unauthorized)', {
      code: 'store_unauthorized',
      retryable: false,
    })
    const log = createFlightLog({ kv: flakyReads(() => refused), pollMinMs: 1 })
    const { error } = await collectUntilError(log.follow('f2'))
    expect(error).toBe(refused)
  })
})

/** The in-memory store, whose `append` fails transiently as `plan` says: after landing or not. */
function flakyAppends(plan: ('lost' | 'landed-but-reply-lost' | 'ok')[]): KvStore {
  const kv = createInMemoryKvStore()
  let appends = 0
  return {
    ...kv,
    append: async (key, values, options) => {
      const step = plan[appends++] ?? 'ok'
      if (step === 'landed-but-reply-lost') await kv.append(key, values, options)
      if (step !== 'ok') throw transient()
      return kv.append(key, values, options)
    },
  }
}

describe('the flight log, written over a store that fails now and then', () => {
  const noWait = async () => {}

  it('appends a batch again after a transient failure, and followers read it once', async () => {
    const kv = flakyAppends(['lost', 'landed-but-reply-lost', 'ok', 'landed-but-reply-lost'])
    const log = createFlightLog({ kv, pollMinMs: 1, pollMaxMs: 2, sleep: noWait })
    const writer = log.writer('w1')
    for (const word of ['one ', 'answer ', 'for all']) {
      writer.write({ event: delta(word) })
      await writer.flushed()
    }
    writer.write({ end: true })
    await writer.flushed()
    const followed = await collect(log.follow('w1', undefined, async () => false))
    expect(followed).toEqual([delta('one '), delta('answer '), delta('for all')])
  })

  it('after a batch is lost for good, writes nothing more: no answer with a hole in it', async () => {
    const refused = new StoreError('kv', 'kv append failed (store_unauthorized)', {
      code: 'store_unauthorized',
      retryable: false,
    })
    const kv = createInMemoryKvStore()
    let appends = 0
    const failing: KvStore = {
      ...kv,
      append: async (key, values, options) => {
        if (++appends === 2) throw refused
        return kv.append(key, values, options)
      },
    }
    const errors: unknown[] = []
    const log = createFlightLog({
      kv: failing,
      pollMinMs: 1,
      checkAfterMs: 5,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      onWriteError: (error) => errors.push(error),
    })
    const writer = log.writer('w2')
    for (const record of [
      { event: delta('one ') },
      { event: delta('two ') },
      { end: true as const },
    ]) {
      writer.write(record)
      await writer.flushed().catch(() => {})
    }
    expect(errors).toEqual([refused])
    expect(await kv.length('cache:flight:w2')).toBe(1)
    // The leader let go without an end: its followers fail instead of taking half an answer.
    const { error } = await collectUntilError(log.follow('w2', undefined, async () => false))
    expect(String(error)).toMatch(/stopped answering/)
  })
})
