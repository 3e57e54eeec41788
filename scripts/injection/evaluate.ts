import { createInjectionDetector } from '../../src/core/guards/injection/detector.ts'
import { createLinearModel } from '../../src/core/guards/injection/linear-model.ts'
import { type Example, originOf } from './examples.ts'
import {
  defaultTrainOptions,
  type Featurised,
  type TrainOptions,
  trainLogistic,
} from './train-logistic.ts'

/** The held-out scores of one example: combined, model alone, and whether a pattern fired. */
export interface HeldOutScore {
  example: Example
  score: number
  modelScore: number
  patterns: string[]
}

/**
 * Leave one upstream out: for each origin, train on every other origin and score the held-out
 * one with the full detector (patterns + pruned, quantised model). Every example is scored by a
 * model that never saw its source.
 */
export function leaveOneSourceOut(
  examples: readonly Example[],
  rows: readonly Featurised[],
  options: TrainOptions = defaultTrainOptions,
): HeldOutScore[] {
  const origins = [...new Set(examples.map((e) => originOf(e.source)))].sort()
  const scores: HeldOutScore[] = []
  for (const origin of origins) {
    const train = rows.filter((_, i) => originOf((examples[i] as Example).source) !== origin)
    const detector = createInjectionDetector(createLinearModel(trainLogistic(train, options)), 1)
    for (const example of examples) {
      if (originOf(example.source) !== origin) continue
      const result = detector.score(example.text)
      scores.push({
        example,
        score: result.score,
        modelScore: result.modelScore,
        patterns: result.reasons.filter((r) => r !== 'model'),
      })
    }
  }
  return scores
}

/**
 * The lowest threshold at which every benign source keeps its false-positive rate at or under
 * `maxFalsePositiveRate`: the worst source decides, not the average.
 */
export function chooseThreshold(
  scores: readonly HeldOutScore[],
  maxFalsePositiveRate: number,
): number {
  const benign = scores.filter((s) => s.example.label === 0)
  const candidates = [...new Set(benign.map((s) => Number(s.score.toFixed(3))))].sort(
    (a, b) => a - b,
  )
  for (const t of [...candidates.map((c) => c + 0.001), 0.999]) {
    if (worstFalsePositiveRate(benign, t) <= maxFalsePositiveRate) return Number(t.toFixed(3))
  }
  return 0.999
}

function worstFalsePositiveRate(benign: readonly HeldOutScore[], threshold: number): number {
  return Math.max(
    ...[...groupBy(benign, (s) => s.example.source).values()].map((group) =>
      rate(group, (s) => s.score >= threshold),
    ),
  )
}

/** Share of `items` for which `test` holds. */
export function rate<T>(items: readonly T[], test: (item: T) => boolean): number {
  return items.length === 0 ? 0 : items.filter(test).length / items.length
}

/** Items grouped by a key, in first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item])
  return groups
}
