import { describe, expect, it } from 'vitest'
import { tappedStream } from '../../../src/core/models/tapped-stream.ts'

function recorder() {
  const seen: string[] = []
  return {
    seen,
    tap: {
      item: (item: number) => seen.push(`item ${item}`),
      end: () => seen.push('end'),
      error: (error: unknown) => seen.push(`error ${(error as Error).message}`),
      left: () => seen.push('left'),
    },
  }
}

describe('tappedStream', () => {
  it('hands every item on unchanged, each told before the consumer sees it, then the end', async () => {
    async function* source() {
      yield 1
      yield 2
    }
    const { seen, tap } = recorder()
    for await (const item of tappedStream(source(), tap)) seen.push(`got ${item}`)
    expect(seen).toEqual(['item 1', 'got 1', 'item 2', 'got 2', 'end'])
  })

  it('tells of a failure once and passes it on', async () => {
    async function* source() {
      yield 1
      throw new Error('boom')
    }
    const { seen, tap } = recorder()
    await expect(async () => {
      for await (const _ of tappedStream(source(), tap)) {
      }
    }).rejects.toThrow('boom')
    expect(seen).toEqual(['item 1', 'error boom'])
  })

  it('closes the source when the consumer leaves, and tells of it after', async () => {
    const seen: string[] = []
    async function* source() {
      try {
        yield 1
        yield 2
      } finally {
        seen.push('source closed')
      }
    }
    const tap = { left: () => seen.push('left'), end: () => seen.push('end') }
    for await (const _ of tappedStream(source(), tap)) break
    expect(seen).toEqual(['source closed', 'left'])
  })

  it('tells nothing more after the end, whatever the consumer does next', async () => {
    async function* source() {
      yield 1
    }
    const { seen, tap } = recorder()
    const iterator = tappedStream(source(), tap)[Symbol.asyncIterator]()
    await iterator.next()
    await iterator.next()
    await iterator.next()
    await iterator.return?.()
    expect(seen).toEqual(['item 1', 'end'])
  })
})
