import type { Embedder } from './embedder.ts'

/** Options of `createHashingEmbedder`. */
export interface HashingEmbedderOptions {
  /** Vector length. Default 384, the size of common small sentence-embedding models. */
  dimension?: number
}

const WORD_WEIGHT = 1
const TRIGRAM_WEIGHT = 0.5

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5
  const feed = (byte: number) => {
    hash = Math.imul(hash ^ byte, 0x01000193)
  }
  for (const char of text) {
    const cp = char.codePointAt(0) as number
    if (cp < 0x80) feed(cp)
    else if (cp < 0x800) {
      feed(0xc0 | (cp >> 6))
      feed(0x80 | (cp & 0x3f))
    } else if (cp < 0x10000) {
      feed(0xe0 | (cp >> 12))
      feed(0x80 | ((cp >> 6) & 0x3f))
      feed(0x80 | (cp & 0x3f))
    } else {
      feed(0xf0 | (cp >> 18))
      feed(0x80 | ((cp >> 12) & 0x3f))
      feed(0x80 | ((cp >> 6) & 0x3f))
      feed(0x80 | (cp & 0x3f))
    }
  }
  return hash >>> 0
}

/** Lower-cased words (letters and digits, any script) of NFKC-normalised text. */
function words(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  )
}

/**
 * The built-in embedder: feature hashing of word unigrams and character trigrams (of each
 * word padded with boundary marks, counted in code points so CJK and emoji work) into
 * `dimension` signed buckets, then L2-normalised. Deterministic, offline and dependency-free:
 * texts sharing words or word fragments score higher than unrelated ones, which is what
 * recall needs when no embedding model is configured. It knows no synonyms.
 */
export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  const dimension = options.dimension ?? 384
  if (!Number.isInteger(dimension) || dimension < 2) {
    throw new RangeError(`dimension must be an integer of at least 2, got ${dimension}`)
  }

  function add(vector: Float64Array, feature: string, weight: number): void {
    const hash = fnv1a32(feature)
    // The sign comes from bits the bucket index does not use, so collisions tend to cancel.
    const sign = Math.imul(hash, 0x9e3779b1) >>> 31 === 1 ? -1 : 1
    const bucket = hash % dimension
    vector[bucket] = (vector[bucket] as number) + sign * weight
  }

  function embedOne(text: string): number[] {
    const vector = new Float64Array(dimension)
    for (const word of words(text)) {
      add(vector, `w:${word}`, WORD_WEIGHT)
      const chars = Array.from(`\u0002${word}\u0003`)
      for (let i = 0; i + 3 <= chars.length; i++) {
        add(vector, `t:${chars[i]}${chars[i + 1]}${chars[i + 2]}`, TRIGRAM_WEIGHT)
      }
    }
    let norm = Math.hypot(...vector)
    // Text without words still needs a unit vector: a fixed feature stands in for it.
    if (norm === 0) {
      add(vector, 'empty:', 1)
      norm = 1
    }
    return Array.from(vector, (x) => x / norm)
  }

  return {
    id: `hashing-fnv1a-w1t3-${dimension}`,
    dimension,
    async embed(texts, signal) {
      signal?.throwIfAborted()
      return texts.map(embedOne)
    },
  }
}
