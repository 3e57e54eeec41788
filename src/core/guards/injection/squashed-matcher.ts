/**
 * The phrases compiled into one automaton (Aho-Corasick over `a`-`z`): `next[state * 26 +
 * letter]` is the state after a letter, and `final[state]` is 1 when some phrase ends there.
 */
interface Automaton {
  next: Int32Array
  final: Uint8Array
}

const compiled = new WeakMap<readonly string[], Automaton>()

function compile(phrases: readonly string[]): Automaton {
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
  const next = new Int32Array(edges.length * 26)
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
  const automaton = { next, final }
  compiled.set(phrases, automaton)
  return automaton
}

/**
 * Whether `words` (a word view) with its spaces removed contains one of `phrases` (lower-case
 * `a`-`z` only): `i g n o r e  p r e v i o u s` and `ig nore prev ious` read as `ignoreprevious`.
 * One automaton step per character, whatever the number of phrases; any other character
 * (a digit, a non-Latin letter) restarts the match, as no phrase holds one.
 */
export function hasSquashedPhrase(words: string, phrases: readonly string[]): boolean {
  const { next, final } = compile(phrases)
  let state = 0
  for (let i = 0; i < words.length; i++) {
    const c = words.charCodeAt(i)
    if (c === 0x20) continue
    const letter = c - 0x61
    state = letter >= 0 && letter < 26 ? (next[state * 26 + letter] as number) : 0
    if (final[state] === 1) return true
  }
  return false
}
