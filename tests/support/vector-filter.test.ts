import { describe, expect, it } from 'vitest'
import { FilterSyntaxError, globToRegExp, matchesFilter, parseFilter } from './vector-filter.ts'

const doc = {
  owner: 'alice',
  conversationId: 'c-1',
  kind: 'note',
  score: 7,
  ratio: 0.5,
  pinned: true,
  tags: ['red', 'blue', 3],
  city: { name: 'İstanbul', zip: 34000 },
  history: [{ year: 2020 }, { year: 2024 }],
  quote: 'it\'s "fine"',
}

const matches = (filter: string, metadata: unknown = doc) =>
  matchesFilter(parseFilter(filter), metadata)

describe('Upstash Vector filter language', () => {
  it.each([
    ["owner = 'alice'", true],
    ['owner = "alice"', true],
    ["owner = 'bob'", false],
    ["owner != 'bob'", true],
    ["owner != 'alice'", false],
    ['score = 7', true],
    ['score > 6 AND score < 8', true],
    ['score >= 7 AND score <= 7', true],
    ['score > 7', false],
    ['ratio < 1', true],
    ['score<8', true],
    ['score >= -1', true],
    ['pinned = true', true],
    ['pinned = 1', true],
    ['pinned = false', false],
    ['pinned = 0', false],
    ["owner GLOB 'al*'", true],
    ["owner GLOB 'a?ice'", true],
    ["owner GLOB '[a-c]lice'", true],
    ["owner GLOB '[^a]lice'", false],
    ["owner GLOB 'AL*'", false],
    ["owner NOT GLOB 'b*'", true],
    ["owner IN ('bob', 'alice')", true],
    ["owner IN ('bob')", false],
    ["owner NOT IN ('bob', 'carol')", true],
    ['score IN (1, 7)', true],
    ["tags CONTAINS 'red'", true],
    ['tags CONTAINS 3', true],
    ["tags NOT CONTAINS 'green'", true],
    ["tags NOT CONTAINS 'red'", false],
    ['HAS FIELD city.zip', true],
    ['HAS FIELD city.country', false],
    ['HAS NOT FIELD city.country', true],
    ["city.name = 'İstanbul'", true],
    ['city.zip >= 34000', true],
    ['history[0].year = 2020', true],
    ['history[#-1].year = 2024', true],
    ['tags[1] = "blue"', true],
    ["quote = 'it\\'s \"fine\"'", true],
    ['quote = "it\'s \\"fine\\""', true],
    // AND binds tighter than OR.
    ["owner = 'bob' AND score = 7 OR kind = 'note'", true],
    ["owner = 'bob' AND (score = 7 OR kind = 'note')", false],
    ["kind = 'note' OR owner = 'bob' AND score = 1", true],
    ["(kind = 'x' OR owner = 'bob') AND score = 7", false],
    ["owner = 'alice' and score > 1 or kind = 'x'", true],
    // Comparisons on a missing field are false, negated ones too.
    ["missing = 'x'", false],
    ["missing != 'x'", false],
    ["missing NOT IN ('x')", false],
    ["missing NOT GLOB 'x'", false],
    ["owner = 'alice' AND conversationId = 'c-1'", true],
    ["owner = 'alice' AND conversationId = 'c-2'", false],
  ])('%s -> %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected)
  })

  it.each([
    "owner = 'alice",
    'owner =',
    "owner 'alice'",
    "(owner = 'alice'",
    "owner = 'alice')",
    "owner = 'a' AND",
    'owner IN ()',
    '= 5',
    "owner LIKE 'a'",
    'score > 5 score',
    'HAS FIELD',
  ])('rejects %s', (filter) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError)
  })

  it('turns globs into anchored, case-sensitive patterns', () => {
    expect(globToRegExp('a.b*').test('a.bcd')).toBe(true)
    expect(globToRegExp('a.b*').test('axbcd')).toBe(false)
    expect(globToRegExp('*(x)?').test('((x)y')).toBe(true)
    expect(globToRegExp('[!a]*').test('bcd')).toBe(true)
    expect(globToRegExp('🚀?').test('🚀漢')).toBe(true)
  })
})
