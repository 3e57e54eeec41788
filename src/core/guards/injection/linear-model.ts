import { featureBits, hashFeatures } from './features.ts'
import { type CompactModel, decodeTable } from './weight-table.ts'

/** A logistic-regression scorer over hashed n-grams of a word view. */
export interface LinearModel {
  /** The model's logit for a word view (word-view.ts). */
  logit(words: string): number
}

/**
 * Expands a committed `CompactModel` into a scorer. The dense table (2^18 int8 weights, 256 KB)
 * is built once per model; scoring is one pass over the text's n-grams. Features are binary and
 * the vector is L2-normalised, so the logit is bias + (sum of the weights present) / sqrt(n).
 */
export function createLinearModel(model: CompactModel): LinearModel {
  if (model.featureBits !== featureBits) {
    throw new Error(`model uses ${model.featureBits}-bit features, the code ${featureBits}`)
  }
  const weights = decodeTable(model)
  return {
    logit(words) {
      const features = hashFeatures(words)
      let sum = 0
      for (let i = 0; i < features.length; i++) sum += weights[features[i] as number] as number
      if (features.length === 0) return model.bias
      return model.bias + (sum * model.scale) / Math.sqrt(features.length)
    },
  }
}
