import { describe, expect, it } from 'vitest'
import {
  quoteFilterString,
  toUpstashFilter,
} from '../../../src/core/memory/upstash-vector-filter.ts'
import { matchesFilter, parseFilter } from '../../support/vector-filter.ts'

const nasty = [
  'plain',
  "o'brien",
  'say "hi"',
  `both ' and "`,
  'back\\slash',
  "trailing\\'",
  "x' OR owner != 'y",
  '🚀 漢字',
  '',
]

describe('Upstash Vector filter translation', () => {
  it.each(nasty)('quotes %j so the filter language reads it back unchanged', (value) => {
    const tree = parseFilter(`owner = ${quoteFilterString(value)}`)
    expect(tree).toMatchObject({ type: 'compare', op: '=', value })
  })

  it('prefers the quote that needs no escaping', () => {
    expect(quoteFilterString('plain')).toBe("'plain'")
    expect(quoteFilterString("o'brien")).toBe('"o\'brien"')
    expect(quoteFilterString(`a'b"c`)).toBe(`'a\\'b"c'`)
  })

  it('ANDs owner, conversation and kind', () => {
    expect(toUpstashFilter({ owner: 'u1' })).toBe("owner = 'u1'")
    expect(toUpstashFilter({ owner: 'u1', conversationId: 'c', kind: 'fact' })).toBe(
      "owner = 'u1' AND conversationId = 'c' AND kind = 'fact'",
    )
  })

  it.each(nasty)('matches exactly the owner %j and nobody else', (owner) => {
    const tree = parseFilter(toUpstashFilter({ owner, conversationId: 'c' }))
    expect(matchesFilter(tree, { owner, conversationId: 'c' })).toBe(true)
    expect(matchesFilter(tree, { owner, conversationId: 'd' })).toBe(false)
    for (const other of nasty.filter((o) => o !== owner)) {
      expect(matchesFilter(tree, { owner: other, conversationId: 'c' })).toBe(false)
    }
  })
})
