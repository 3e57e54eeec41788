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
  if (!/[0-9]/.test(word) || !/[a-z]/.test(word)) return word
  let out = ''
  for (const c of word) out += leet[c] ?? c
  return out
}

/**
 * The reasons of the rules that match `words` (a word view), each once. Every rule is tried
 * from every word that fits its first slot, and each later slot looks at most `gap + 1` words
 * ahead, so the work is linear in the number of words (times a small constant per rule).
 */
export function matchPhrases(words: string, rules: readonly PhraseRule[]): PhraseRule[] {
  const tokens = words === '' ? [] : words.split(' ').map(unleet)
  const hits: PhraseRule[] = []
  for (const rule of rules) {
    const first = rule.slots[0]
    if (!first) continue
    for (let i = 0; i < tokens.length; i++) {
      if (first.has(tokens[i] as string) && matchFrom(tokens, i + 1, rule, 1)) {
        hits.push(rule)
        break
      }
    }
  }
  return hits
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
