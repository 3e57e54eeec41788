import { findPatterns } from './find-patterns.ts'
import type { LinearModel } from './linear-model.ts'
import { normaliseInPlace } from './normalise.ts'

/** What the detector says about one text, before any policy is applied. */
export interface InjectionScore {
  /** Probability-like score in [0, 1]: sigmoid(model logit + pattern weights). */
  score: number
  /** The model's probability alone, without the patterns. */
  modelScore: number
  /** At or above the detector's threshold. */
  suspicious: boolean
  /** Pattern reasons that fired, and `model` when the model alone reaches the threshold. */
  reasons: string[]
}

/** Scores texts for prompt injection; `threshold` is the score from which a text is suspicious. */
export interface InjectionDetector {
  readonly threshold: number
  score(text: string): InjectionScore
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))

/**
 * The detector: normalise (normalise.ts), match patterns (find-patterns.ts), score the word view
 * with the linear model, and add each pattern's weight to the model's logit. Every part is
 * linear in the bounded slice of the text, and every reason is one a person can check.
 */
export function createInjectionDetector(model: LinearModel, threshold: number): InjectionDetector {
  return {
    threshold,
    score(text) {
      // Buffers shared by every call: read before anything else can normalise another text.
      const normalised = normaliseInPlace(text)
      const logit = model.logitOfPadded(normalised.paddedWords, normalised.wordsLength)
      const hits = findPatterns(normalised)
      // Summed in hit order, as the weights always were (the float sum depends on the order).
      let weights = 0
      const reasons: string[] = []
      for (const hit of hits) {
        weights += hit.weight
        reasons.push(hit.reason)
      }
      const score = sigmoid(logit + weights)
      const modelScore = sigmoid(logit)
      if (modelScore >= threshold) reasons.push('model')
      return { score, modelScore, suspicious: score >= threshold, reasons }
    },
  }
}
