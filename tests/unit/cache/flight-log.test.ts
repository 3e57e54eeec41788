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
