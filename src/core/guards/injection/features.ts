/** Bits of the feature hash: the model has 2^18 weight slots, most of them zero after pruning. */
export const featureBits = 18
const mask = (1 << featureBits) - 1

/**
 * A model's weights as hashing reads them: the dense int8 table, and one bit per slot saying
 * whether it holds a non-zero weight. The bitset (32 KB) stays in the L1 cache; the 256 KB table
 * is read only for the few slots that are set (the committed model has ~2% of them).
 */
export interface FeatureWeights {
  weights: Int8Array
  present: Int32Array
}

/** Builds the bitset of the non-zero slots of a dense weight table. */
export function featureWeights(weights: Int8Array): FeatureWeights {
  const present = new Int32Array(weights.length >>> 5)
  for (let i = 0; i < weights.length; i++) {
    if (weights[i] !== 0) present[i >>> 5] = (present[i >>> 5] as number) | (1 << (i & 31))
  }
  return { weights, present }
}

/** What `weighFeatures` found: the number of distinct features and the sum of their weights. */
export interface FeatureSum {
  count: number
  sum: number
}

const noWeights = featureWeights(new Int8Array(1 << featureBits))

// "Seen in this text" is one bit per slot (32 KB, in the L1 cache, cleared once per text).
// Hashing is synchronous, so module-level scratch arrays are safe to share.
const seen = new Int32Array(1 << (featureBits - 5))
let buffer = new Int32Array(16_384)
let codes = new Uint16Array(4096)
let count = 0
let sum = 0
let weights = noWeights.weights
let present = noWeights.present
const result: FeatureSum = { count: 0, sum: 0 }

function add(hash: number) {
  const index = ((hash >>> 0) ^ (hash >>> featureBits)) & mask
  const slot = index >>> 5
  const bit = 1 << (index & 31)
  const marks = seen[slot] as number
  if ((marks & bit) !== 0) return
  seen[slot] = marks | bit
  buffer[count++] = index
  // Weights are int8 steps, so their sum is an exact integer whatever the order.
  if (((present[slot] as number) & bit) !== 0) sum += weights[index] as number
}

const fnvOffset = 0x811c9dc5
const fnvPrime = 0x01000193

/**
 * The distinct hashed features of a word view (word-view.ts): character 3-, 4- and 5-grams of
 * the text padded with spaces, and word unigrams and bigrams, FNV-1a hashed and folded to
 * `featureBits` (collisions are accepted: the hashing trick). Returns a view of a shared buffer,
 * valid until the next call: copy it to keep it. The trainer uses this.
 */
export function hashFeatures(words: string): Int32Array {
  const n = pad(words) // first: it may replace `codes` with a larger array
  scan(codes, n, noWeights)
  return buffer.subarray(0, count)
}

/**
 * The detector's side of `hashFeatures`: the same features, their number and the sum of their
 * weights, found in the one pass without listing them. The result object is reused by the next
 * call (no allocation per text).
 */
export function weighFeatures(words: string, table: FeatureWeights): FeatureSum {
  const n = pad(words) // first: it may replace `codes` with a larger array
  return weighPaddedWords(codes, n, table)
}

/**
 * `weighFeatures` of a word view already in code units with a space on either side, ` words `
 * from 0 to `n` (the word view's own buffer, word-view.ts): no copy of the text.
 */
export function weighPaddedWords(at: Uint16Array, n: number, table: FeatureWeights): FeatureSum {
  scan(at, n, table)
  result.count = count
  result.sum = sum
  return result
}

// Writes ` words ` into `codes` (each n-gram reads up to five code units) and returns its length.
function pad(words: string): number {
  const n = words.length + 2
  if (codes.length < n) codes = new Uint16Array(n)
  codes[0] = 0x20
  for (let p = 1; p < n - 1; p++) codes[p] = words.charCodeAt(p - 1)
  codes[n - 1] = 0x20
  return n
}

function scan(at: Uint16Array, n: number, table: FeatureWeights) {
  seen.fill(0)
  weights = table.weights
  present = table.present
  sum = 0
  if (buffer.length < 5 * n) buffer = new Int32Array(5 * n)
  count = 0
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
}
