import type { PhraseRule } from './phrase-rules.ts'

const leet: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
}

// `1gn0r3` -> `ignore`: only words mixing letters and digits, so `2024` stays a number.
function unleet(word: string): string {
  let digits = false
  let letters = false
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i)
    if (c >= 0x30 && c <= 0x39) digits = true
    else letters = true
  }
  if (!digits || !letters) return word
  let out = ''
  for (const c of word) out += leet[c] ?? c
  return out
}

// Undoes leetspeak in place, only in the words that hold a digit: one pass over the text finds
// them, so a text with a few numbers does not pay a per-word check.
function unleetTokens(words: string, tokens: string[]): void {
  let token = 0
  let marked = -1
  for (let i = 0; i < words.length; i++) {
    const c = words.charCodeAt(i)
    if (c === 0x20) token++
    else if (c >= 0x30 && c <= 0x39 && marked !== token) {
      marked = token
      tokens[token] = unleet(tokens[token] as string)
    }
  }
}

/** Rules by the words of their first slot, and a cheap filter in front of that map. */
interface StartIndex {
  rules: Map<string, PhraseRule[]>
  /** Bit `length & 31` of entry `firstChar & 31` is set when some start word has that shape. */
  shapes: Uint32Array
}

// Most words of a text start no rule; the shape filter rejects them without hashing the word.
const starts = new WeakMap<readonly PhraseRule[], StartIndex>()
function startIndex(rules: readonly PhraseRule[]): StartIndex {
  const known = starts.get(rules)
  if (known) return known
  const index: StartIndex = { rules: new Map(), shapes: new Uint32Array(32) }
  for (const rule of rules) {
    for (const word of rule.slots[0] ?? []) {
      index.rules.set(word, [...(index.rules.get(word) ?? []), rule])
      const slot = word.charCodeAt(0) & 31
      index.shapes[slot] = (index.shapes[slot] as number) | (1 << (word.length & 31))
    }
  }
  starts.set(rules, index)
  return index
}

/**
 * The rules that match `words` (a word view), each once. A rule is tried from every word in
 * its first slot, and each later slot looks at most `gap + 1` words ahead, so the work is
 * linear in the number of words (times a small constant per rule).
 */
export function matchPhrases(words: string, rules: readonly PhraseRule[]): PhraseRule[] {
  const tokens = words === '' ? [] : words.split(' ')
  unleetTokens(words, tokens)
  const index = startIndex(rules)
  const hits = new Set<PhraseRule>()
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string
    const shape = (index.shapes[token.charCodeAt(0) & 31] as number) & (1 << (token.length & 31))
    if (shape === 0) continue
    const candidates = index.rules.get(token)
    if (!candidates) continue
    for (const rule of candidates) {
      if (!hits.has(rule) && matchFrom(tokens, i + 1, rule, 1)) hits.add(rule)
    }
  }
  return rules.filter((rule) => hits.has(rule))
}

function matchFrom(tokens: string[], from: number, rule: PhraseRule, slot: number): boolean {
  const set = rule.slots[slot]
  if (!set) return true
  const end = Math.min(tokens.length, from + rule.gap + 1)
  for (let i = from; i < end; i++) {
    if (set.has(tokens[i] as string) && matchFrom(tokens, i + 1, rule, slot + 1)) return true
  }
  return false
}
