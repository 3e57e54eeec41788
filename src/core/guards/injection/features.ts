/** Bits of the feature hash: the model has 2^18 weight slots, most of them zero after pruning. */
export const featureBits = 18
const mask = (1 << featureBits) - 1

// Generation stamps make "seen in this text" a single array read, with no per-call allocation.
// Scoring is synchronous, so one module-level scratch array is safe to share.
const stamps = new Uint32Array(1 << featureBits)
let generation = 0

const fnvOffset = 0x811c9dc5
const fnvPrime = 0x01000193

/**
 * Calls `visit` once for each distinct hashed feature of a word view (word-view.ts): character
 * 3-, 4- and 5-grams of the text padded with spaces, and word unigrams and bigrams. Returns the
 * number of distinct features. FNV-1a hashes, folded to `featureBits`; collisions are accepted
 * (the hashing trick), and the trainer sees exactly the same indices as the detector.
 */
export function forEachFeature(words: string, visit: (index: number) => void): number {
  generation = (generation + 1) >>> 0
  if (generation === 0) {
    stamps.fill(0)
    generation = 1
  }
  let distinct = 0
  const emit = (hash: number) => {
    const index = (hash ^ (hash >>> featureBits)) & mask
    if (stamps[index] === generation) return
    stamps[index] = generation
    distinct++
    visit(index)
  }
  const text = ` ${words} `
  const n = text.length
  for (let i = 0; i + 3 <= n; i++) {
    let h = fnvOffset
    for (let k = 0; k < 5 && i + k < n; k++) {
      h = Math.imul(h ^ text.charCodeAt(i + k), fnvPrime)
      if (k >= 2) emit(h >>> 0)
    }
  }
  // Words: a different seed keeps `cat` the word apart from `cat` the trigram.
  let previous = 0
  let h = fnvPrime
  for (let i = 1; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c !== 0x20) {
      h = Math.imul(h ^ c, fnvPrime)
      continue
    }
    if (h === fnvPrime) continue
    emit(h >>> 0)
    if (previous !== 0) emit(Math.imul(previous ^ 0x5bd1e995, fnvPrime) ^ h)
    previous = h
    h = fnvPrime
  }
  return distinct
}
