/** A pruned, quantised linear model: the form committed in `model-weights.ts`. */
export interface CompactModel {
  /** Bits of the feature hash the indices live in (features.ts). */
  featureBits: number
  /** Intercept, in logits. */
  bias: number
  /** Logit value of one quantisation step: weight = int8 * scale. */
  scale: number
  /** Number of non-zero weights kept. */
  count: number
  /** Base64 of (LEB128 index delta, int8 weight) pairs in ascending index order. */
  table: string
}

/** Encodes sorted (index, int8) pairs as the base64 table of a `CompactModel`. */
export function encodeTable(entries: ReadonlyArray<readonly [number, number]>): string {
  const bytes: number[] = []
  let previous = 0
  for (const [index, weight] of entries) {
    let delta = index - previous
    previous = index
    while (delta >= 0x80) {
      bytes.push((delta & 0x7f) | 0x80)
      delta >>>= 7
    }
    bytes.push(delta)
    bytes.push(weight & 0xff)
  }
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * Expands a `CompactModel` into a dense array of its int8 weights, one slot per feature hash
 * (multiply by `scale` for logits). Bytes, so the table stays in the CPU cache while scoring.
 */
export function decodeTable(model: CompactModel): Int8Array {
  const dense = new Int8Array(1 << model.featureBits)
  const binary = atob(model.table)
  let index = 0
  let i = 0
  while (i < binary.length) {
    let delta = 0
    let shift = 0
    let byte: number
    do {
      byte = binary.charCodeAt(i++)
      delta |= (byte & 0x7f) << shift
      shift += 7
    } while (byte & 0x80)
    index += delta
    dense[index] = binary.charCodeAt(i++) // the Int8Array reads the byte as signed
  }
  return dense
}
