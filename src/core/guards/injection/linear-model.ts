import { featureBits, featureWeights, weighFeatures, weighPaddedWords } from './features.ts'
import { type CompactModel, decodeTable } from './weight-table.ts'

/** A logistic-regression scorer over hashed n-grams of a word view. */
export interface LinearModel {
  /** The model's logit for a word view (word-view.ts). */
  logit(words: string): number
  /** The same for ` words ` in code units, 0 to `words.length + 2` (word-view.ts's `padded`). */
  logitOfPadded(padded: Uint16Array, wordsLength: number): number
}

/**
 * Expands a committed `CompactModel` into a scorer. The dense table (2^18 int8 weights, 256 KB)
 * and its bitset of non-zero slots are built once per model; scoring is one pass over the
 * text's n-grams that sums the weights as it finds them. Features are binary and the vector is
 * L2-normalised, so the logit is bias + (sum of the weights present) / sqrt(n).
 */
export function createLinearModel(model: CompactModel): LinearModel {
  if (model.featureBits !== featureBits) {
    throw new Error(`model uses ${model.featureBits}-bit features, the code ${featureBits}`)
  }
  const table = featureWeights(decodeTable(model))
  const logitOf = ({ count, sum }: { count: number; sum: number }) =>
    count === 0 ? model.bias : model.bias + (sum * model.scale) / Math.sqrt(count)
  return {
    logit: (words) => logitOf(weighFeatures(words, table)),
    logitOfPadded: (padded, wordsLength) =>
      logitOf(weighPaddedWords(padded, wordsLength + 2, table)),
  }
}
