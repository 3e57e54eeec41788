import { featureBits, hashFeatures } from '../../src/core/guards/injection/features.ts'
import { normalise } from '../../src/core/guards/injection/normalise.ts'
import { type CompactModel, encodeTable } from '../../src/core/guards/injection/weight-table.ts'
import type { Example } from './examples.ts'

/** Hyperparameters of the trainer; the defaults are the ones the committed model uses. */
export interface TrainOptions {
  seed: number
  epochs: number
  batchSize: number
  learningRate: number
  /** L2 penalty on the weights (strong: the model must not learn one source's style). */
  l2: number
  /** Weights kept after pruning, by magnitude. */
  keep: number
}

export const defaultTrainOptions: TrainOptions = {
  seed: 13,
  epochs: 8,
  batchSize: 32,
  learningRate: 0.05,
  l2: 1e-4,
  keep: 6000,
}

/** A text as the model sees it: its distinct feature indices. */
export interface Featurised {
  indices: Int32Array
  label: 0 | 1
  source: string
}

/** Normalises and hashes each example, exactly as the detector does. */
export function featurise(examples: readonly Example[]): Featurised[] {
  return examples.map((example) => {
    const indices = hashFeatures(normalise(example.text).words).slice()
    return { indices, label: example.label, source: example.source }
  })
}

// Mulberry32: a small seeded generator, so the shuffle (and the model) is reproducible.
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Each source weighs as the square root of its size and each class weighs half: the biggest
// source (1,356 jailbreak templates) must not define what an attack looks like.
function sampleWeights(rows: readonly Featurised[]): Float64Array {
  const perSource = new Map<string, number>()
  for (const row of rows) perSource.set(row.source, (perSource.get(row.source) ?? 0) + 1)
  const raw = rows.map((row) => 1 / Math.sqrt(perSource.get(row.source) ?? 1))
  const total = [0, 0]
  rows.forEach((row, i) => {
    total[row.label] = (total[row.label] ?? 0) + (raw[i] as number)
  })
  return Float64Array.from(rows, (row, i) => (raw[i] as number) / (2 * (total[row.label] ?? 1)))
}

/**
 * Logistic regression by mini-batch Adam with an L2 penalty, seeded shuffling, then pruning to
 * the `keep` largest weights and int8 quantisation. Deterministic for a given input and seed.
 */
export function trainLogistic(
  rows: readonly Featurised[],
  options = defaultTrainOptions,
): CompactModel {
  const size = 1 << featureBits
  const w = new Float64Array(size)
  const m = new Float64Array(size)
  const v = new Float64Array(size)
  let bias = 0
  let mb = 0
  let vb = 0
  const weights = sampleWeights(rows)
  const next = random(options.seed)
  const order = rows.map((_, i) => i)
  const grad = new Float64Array(size)
  const touched: number[] = []
  const beta1 = 0.9
  const beta2 = 0.999
  let step = 0
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[order[i], order[j]] = [order[j] as number, order[i] as number]
    }
    for (let start = 0; start < order.length; start += options.batchSize) {
      const batch = order.slice(start, start + options.batchSize)
      let gradBias = 0
      for (const r of batch) {
        const row = rows[r] as Featurised
        const x = row.indices.length === 0 ? 0 : 1 / Math.sqrt(row.indices.length)
        let z = bias
        for (const index of row.indices) z += (w[index] as number) * x
        const error = (1 / (1 + Math.exp(-z)) - row.label) * (weights[r] as number)
        gradBias += error
        for (const index of row.indices) {
          if (grad[index] === 0) touched.push(index)
          grad[index] = (grad[index] as number) + error * x
        }
      }
      step++
      const lr = (options.learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step)
      // Adam on the features this batch touched; the L2 pull is applied to those only (lazy).
      for (const index of touched) {
        const g = (grad[index] as number) + options.l2 * (w[index] as number)
        m[index] = beta1 * (m[index] as number) + (1 - beta1) * g
        v[index] = beta2 * (v[index] as number) + (1 - beta2) * g * g
        w[index] =
          (w[index] as number) -
          (lr * (m[index] as number)) / (Math.sqrt(v[index] as number) + 1e-8)
        grad[index] = 0
      }
      touched.length = 0
      mb = beta1 * mb + (1 - beta1) * gradBias
      vb = beta2 * vb + (1 - beta2) * gradBias * gradBias
      bias -= (lr * mb) / (Math.sqrt(vb) + 1e-8)
    }
  }
  return compact(w, bias, options.keep)
}

/** Keeps the `keep` largest weights and quantises them to int8 steps of `scale`. */
export function compact(w: Float64Array, bias: number, keep: number): CompactModel {
  const ranked = Array.from(w.keys())
    .filter((i) => w[i] !== 0)
    .sort((a, b) => Math.abs(w[b] as number) - Math.abs(w[a] as number) || a - b)
    .slice(0, keep)
    .sort((a, b) => a - b)
  const largest = ranked.reduce((max, i) => Math.max(max, Math.abs(w[i] as number)), 0)
  const scale = Number((largest / 127 || 1).toPrecision(6))
  const entries = ranked
    .map((i) => [i, Math.round((w[i] as number) / scale)] as const)
    .filter(([, q]) => q !== 0)
  return {
    featureBits,
    bias: Number(bias.toFixed(6)),
    scale,
    count: entries.length,
    table: encodeTable(entries),
  }
}
