import { featureBits, forEachFeature } from './features.ts'
import { type CompactModel, decodeTable } from './weight-table.ts'

/** A logistic-regression scorer over hashed n-grams of a word view. */
export interface LinearModel {
  /** The model's logit for a word view (word-view.ts). */
  logit(words: string): number
}

/**
 * Expands a committed `CompactModel` into a scorer. The dense table (2^18 floats, 1 MB) is
 * built once per model; scoring is one pass over the text's n-grams. Features are binary and
 * the vector is L2-normalised, so the logit is bias + (sum of the weights present) / sqrt(n).
 */
export function createLinearModel(model: CompactModel): LinearModel {
  if (model.featureBits !== featureBits) {
    throw new Error(`model uses ${model.featureBits}-bit features, the code ${featureBits}`)
  }
  const weights = decodeTable(model)
  return {
    logit(words) {
      let sum = 0
      const distinct = forEachFeature(words, (index) => {
        sum += weights[index] as number
      })
      return distinct === 0 ? model.bias : model.bias + sum / Math.sqrt(distinct)
    },
  }
}
