import { CharBuffer } from './char-buffer.ts'
import type { PhraseRule } from './phrase-rules.ts'

// Leetspeak digits and the letters they stand for (`1gn0r3` -> `ignore`), by digit.
const leet = new Uint16Array(10)
for (const [digit, letter] of Object.entries({
  0: 'o',
  1: 'i',
  3: 'e',
  4: 'a',
  5: 's',
  7: 't',
  8: 'b',
}))
  leet[Number(digit)] = letter.charCodeAt(0)

/**
 * A set of rules compiled for matching without making a string per word: every word the rules
 * name gets a number, found through an open-addressing table keyed by the word's hash, and each
 * slot of each rule becomes a membership array over those numbers.
 */
interface CompiledRules {
  /** Slot `hash & mask` holds a word's number plus one, 0 when empty. */
  table: Int32Array
  mask: number
  vocabulary: string[]
  /** The rules whose first slot holds word `id`, by id, ready to match. */
  startsWith: Start[][]
}

/** A rule as matching reads it: its number, its gap, and per slot 1 at the ids the slot holds. */
interface Start {
  rule: number
  gap: number
  members: Uint8Array[]
}

const fnvOffset = 0x811c9dc5
const fnvPrime = 0x01000193

function hashWord(word: string): number {
  let h = fnvOffset
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), fnvPrime)
  return h >>> 0
}

const compiled = new WeakMap<readonly PhraseRule[], CompiledRules>()
function compile(rules: readonly PhraseRule[]): CompiledRules {
  const known = compiled.get(rules)
  if (known) return known
  const ids = new Map<string, number>()
  for (const rule of rules) {
    for (const slot of rule.slots)
      for (const word of slot) if (!ids.has(word)) ids.set(word, ids.size)
  }
  const vocabulary = [...ids.keys()]
  let size = 64
  while (size < vocabulary.length * 4) size *= 2
  const table = new Int32Array(size)
  const mask = size - 1
  for (const [id, word] of vocabulary.entries()) {
    let at = hashWord(word) & mask
    while (table[at] !== 0) at = (at + 1) & mask
    table[at] = id + 1
  }
  const startsWith: Start[][] = vocabulary.map(() => [])
  for (const [number, rule] of rules.entries()) {
    const members = rule.slots.map((slot) => {
      const set = new Uint8Array(vocabulary.length)
      for (const word of slot) set[ids.get(word) as number] = 1
      return set
    })
    const start = { rule: number, gap: rule.gap, members }
    for (const word of rule.slots[0] ?? []) startsWith[ids.get(word) as number]?.push(start)
  }
  const result = { table, mask, vocabulary, startsWith }
  compiled.set(rules, result)
  return result
}

// The id of each word of the last text, -1 for a word no rule names, and which rules matched
// it, by rule number. Reused between calls: no array, set or closure per text.
let tokenIds = new Int32Array(1024)
let matched = new Uint8Array(64)

// Numbers the words of `units` from `from` to `to` (split at every space, as `split(' ')` would)
// into `tokenIds`, undoing leetspeak in words that mix letters and digits, and returns how many
// there are.
function numberWords(units: Uint16Array, from: number, to: number, rules: CompiledRules): number {
  if (tokenIds.length < to - from + 1) tokenIds = new Int32Array(to - from + 1)
  const { table, mask, vocabulary } = rules
  let count = 0
  let start = from
  let h = fnvOffset
  let digits = false
  let letters = false
  for (let i = from; i <= to; i++) {
    const c = i < to ? (units[i] as number) : 0x20
    if (c !== 0x20) {
      h = Math.imul(h ^ c, fnvPrime)
      if (c >= 0x30 && c <= 0x39) digits = true
      else letters = true
      continue
    }
    const unleet = digits && letters
    if (unleet) {
      h = fnvOffset
      for (let p = start; p < i; p++) h = Math.imul(h ^ leetOf(units[p] as number), fnvPrime)
    }
    let id = -1
    for (let at = (h >>> 0) & mask; table[at] !== 0; at = (at + 1) & mask) {
      const candidate = (table[at] as number) - 1
      if (sameWord(vocabulary[candidate] as string, units, start, i, unleet)) {
        id = candidate
        break
      }
    }
    tokenIds[count++] = id
    start = i + 1
    h = fnvOffset
    digits = false
    letters = false
  }
  return count
}

const leetOf = (c: number) =>
  c >= 0x30 && c <= 0x39 && leet[c - 0x30] !== 0 ? (leet[c - 0x30] as number) : c

function sameWord(
  word: string,
  units: Uint16Array,
  start: number,
  end: number,
  unleet: boolean,
): boolean {
  if (word.length !== end - start) return false
  for (let i = 0; i < word.length; i++) {
    const c = units[start + i] as number
    if (word.charCodeAt(i) !== (unleet ? leetOf(c) : c)) return false
  }
  return true
}

const scratch = new CharBuffer()

/** The rules that match `words` (a word view), each once: `matchPaddedPhrases` of a string. */
export function matchPhrases(words: string, rules: readonly PhraseRule[]): readonly PhraseRule[] {
  scratch.assign(words)
  return matchPhrasesIn(scratch.units, 0, scratch.length, rules)
}

/**
 * `matchPhrases` of a word view in code units, ` words ` from 0 to `wordsLength + 2` (the word
 * view's own buffer, word-view.ts), read in place: a string of the word view per text was a
 * quarter of what the detector allocated, and JavaScriptCore pays for garbage in random pauses.
 */
export function matchPaddedPhrases(
  padded: Uint16Array,
  wordsLength: number,
  rules: readonly PhraseRule[],
): readonly PhraseRule[] {
  return matchPhrasesIn(padded, 1, wordsLength + 1, rules)
}

const none: readonly PhraseRule[] = []

// A rule is tried from every word in its first slot, and each later slot looks at most `gap + 1`
// words ahead, so the work is linear in the number of words (times a small constant per rule).
// Words are compared by number, not as strings: one hash per word, and no array of word strings.
function matchPhrasesIn(
  units: Uint16Array,
  from: number,
  to: number,
  rules: readonly PhraseRule[],
): readonly PhraseRule[] {
  if (from === to) return none
  const index = compile(rules)
  const count = numberWords(units, from, to, index)
  if (matched.length < rules.length) matched = new Uint8Array(rules.length)
  matched.fill(0)
  let found = 0
  for (let i = 0; i < count; i++) {
    const id = tokenIds[i] as number
    if (id < 0) continue
    for (const start of index.startsWith[id] as Start[]) {
      if (matched[start.rule] === 0 && matchFrom(count, i + 1, start, 1)) {
        matched[start.rule] = 1
        found++
      }
    }
  }
  if (found === 0) return none
  const hits: PhraseRule[] = []
  for (let rule = 0; rule < rules.length; rule++)
    if (matched[rule] === 1) hits.push(rules[rule] as PhraseRule)
  return hits
}

function matchFrom(count: number, from: number, start: Start, slot: number): boolean {
  const set = start.members[slot]
  if (!set) return true
  const end = Math.min(count, from + start.gap + 1)
  for (let i = from; i < end; i++) {
    const id = tokenIds[i] as number
    if (id >= 0 && set[id] === 1 && matchFrom(count, i + 1, start, slot + 1)) return true
  }
  return false
}
