/** Bits of the feature hash: the model has 2^18 weight slots, most of them zero after pruning. */
export const featureBits = 18
const mask = (1 << featureBits) - 1

// Generation stamps make "seen in this text" a single array read; one byte each keeps the array
// small enough to stay in cache (it is cleared once every 255 texts). Hashing is synchronous,
// so module-level scratch arrays are safe to share.
const stamps = new Uint8Array(1 << featureBits)
let generation = 0
let buffer = new Int32Array(16_384)
let codes = new Uint16Array(4096)
let count = 0

function add(hash: number) {
  const index = ((hash >>> 0) ^ (hash >>> featureBits)) & mask
  if (stamps[index] === generation) return
  stamps[index] = generation
  buffer[count++] = index
}

const fnvOffset = 0x811c9dc5
const fnvPrime = 0x01000193

/**
 * The distinct hashed features of a word view (word-view.ts): character 3-, 4- and 5-grams of
 * the text padded with spaces, and word unigrams and bigrams, FNV-1a hashed and folded to
 * `featureBits` (collisions are accepted: the hashing trick). Returns a view of a shared buffer,
 * valid until the next call: copy it to keep it. The trainer and the detector both use this.
 */
export function hashFeatures(words: string): Int32Array {
  generation = (generation + 1) & 0xff
  if (generation === 0) {
    stamps.fill(0)
    generation = 1
  }
  const n = words.length + 2
  if (buffer.length < 5 * n) buffer = new Int32Array(5 * n)
  if (codes.length < n) codes = new Uint16Array(n)
  count = 0
  // The text is ` words `, read once into `codes` (each n-gram reads up to five of them).
  codes[0] = 0x20
  for (let p = 1; p < n - 1; p++) codes[p] = words.charCodeAt(p - 1)
  codes[n - 1] = 0x20
  const at = codes
  for (let i = 0; i + 3 <= n; i++) {
    let h = Math.imul(fnvOffset ^ (at[i] as number), fnvPrime)
    h = Math.imul(h ^ (at[i + 1] as number), fnvPrime)
    h = Math.imul(h ^ (at[i + 2] as number), fnvPrime)
    add(h)
    if (i + 4 > n) continue
    h = Math.imul(h ^ (at[i + 3] as number), fnvPrime)
    add(h)
    if (i + 5 > n) continue
    add(Math.imul(h ^ (at[i + 4] as number), fnvPrime))
  }
  // Words: a different seed keeps `cat` the word apart from `cat` the trigram.
  let previous = 0
  let h = fnvPrime
  for (let p = 1; p < n; p++) {
    const c = at[p] as number
    if (c !== 0x20) {
      h = Math.imul(h ^ c, fnvPrime)
      continue
    }
    if (h === fnvPrime) continue
    add(h)
    if (previous !== 0) add(Math.imul(previous ^ 0x5bd1e995, fnvPrime) ^ h)
    previous = h
    h = fnvPrime
  }
  return buffer.subarray(0, count)
}
