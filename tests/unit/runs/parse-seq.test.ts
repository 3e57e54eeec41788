import { describe, expect, it } from 'vitest'
import { parseSeq } from '../../../src/core/runs/parse-seq.ts'

describe('parseSeq, the one reader of Last-Event-ID, ?after= and after_seq', () => {
  it.each([
    ['0', 0],
    ['16', 16],
    [' 7 ', 7],
    [42, 42],
    ['999999999999', 999_999_999_999],
  ])('reads %j as %j', (value, expected) => {
    expect(parseSeq(value)).toBe(expected)
  })

  it.each([
    '0x10',
    '1e3',
    '+5',
    '-1',
    '1.5',
    '',
    '١٢',
    '9'.repeat(400),
    'NaN',
    -1,
    1.5,
    Number.NaN,
    1e300,
    null,
    undefined,
    {},
  ])('refuses %j', (value) => {
    expect(parseSeq(value)).toBeUndefined()
  })
})
