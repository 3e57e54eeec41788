/**
 * The phrases compiled into one automaton (Aho-Corasick over `a`-`z`): `next[state * 26 +
 * letter]` is the state after a letter, and `final[state]` is 1 when some phrase ends there.
 * The word view's pass (word-view.ts) steps it on each word character, so `i g n o r e  p r e v
 * i o u s` and `ig nore prev ious` both read `ignoreprevious`: one step per character whatever
 * the number of phrases, and any character outside `a`-`z` (a digit, a non-Latin letter)
 * restarts the match, as no phrase holds one. 16-bit states: half the table to keep in cache.
 */
export interface Automaton {
  next: Uint16Array
  final: Uint8Array
}

const compiled = new WeakMap<readonly string[], Automaton>()

/** The automaton of `phrases`, built once per list. */
export function squashedAutomaton(phrases: readonly string[]): Automaton {
  const known = compiled.get(phrases)
  if (known) return known
  // The trie, with -1 for a missing edge.
  const edges: number[][] = [new Array(26).fill(-1)]
  const ends: boolean[] = [false]
  for (const phrase of phrases) {
    let state = 0
    for (let i = 0; i < phrase.length; i++) {
      const letter = phrase.charCodeAt(i) - 0x61
      if (letter < 0 || letter >= 26) throw new Error(`squashed phrase ${phrase} is not a-z`)
      const row = edges[state] as number[]
      if (row[letter] === -1) {
        row[letter] = edges.length
        edges.push(new Array(26).fill(-1))
        ends.push(false)
      }
      state = row[letter] as number
    }
    ends[state] = true
  }
  // Breadth first: a missing edge goes where the longest proper suffix would go.
  const next = new Uint16Array(edges.length * 26)
  const final = new Uint8Array(edges.length)
  const fail = new Int32Array(edges.length)
  const queue: number[] = []
  for (let letter = 0; letter < 26; letter++) {
    const child = (edges[0] as number[])[letter] as number
    next[letter] = child === -1 ? 0 : child
    if (child !== -1) queue.push(child)
  }
  final[0] = ends[0] ? 1 : 0
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number
    final[state] = ends[state] || final[fail[state] as number] === 1 ? 1 : 0
    for (let letter = 0; letter < 26; letter++) {
      const child = (edges[state] as number[])[letter] as number
      const fallback = next[(fail[state] as number) * 26 + letter] as number
      if (child === -1) next[state * 26 + letter] = fallback
      else {
        next[state * 26 + letter] = child
        fail[child] = fallback
        queue.push(child)
      }
    }
  }
  if (edges.length > 0xffff) throw new Error('too many squashed phrases for 16-bit states')
  const automaton = { next, final }
  compiled.set(phrases, automaton)
  return automaton
}
