import { describe, expect, it } from 'vitest'
import { createTimeOrderedId } from '../../src/core/memory/time-ordered-id.ts'

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('createTimeOrderedId', () => {
  it('makes UUIDv7 strings that sort in creation order within one millisecond', () => {
    const newId = createTimeOrderedId(() => 1_700_000_000_000)
    const ids = Array.from({ length: 5000 }, () => newId())
    for (const id of ids) expect(id).toMatch(uuidV7)
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('keeps the order when the clock steps back', () => {
    let clock = 1_700_000_000_500
    const newId = createTimeOrderedId(() => clock)
    const ids = [newId(), newId()]
    clock -= 400
    ids.push(newId(), newId())
    clock += 1000
    ids.push(newId())
    expect([...ids].sort()).toEqual(ids)
  })

  it('encodes the time in the first 48 bits', () => {
    const id = createTimeOrderedId(() => 0x0123456789ab)()
    expect(id.slice(0, 13)).toBe('01234567-89ab')
  })
})
