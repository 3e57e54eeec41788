import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { defaultDataPath, loadExamples } from '../../../../scripts/injection/examples.ts'
import { modelModule } from '../../../../scripts/injection/model-module.ts'
import {
  defaultTrainOptions,
  featurise,
  trainLogistic,
} from '../../../../scripts/injection/train-logistic.ts'
import {
  injectionModel,
  injectionThreshold,
} from '../../../../src/core/guards/injection/model-weights.ts'

const hasData = existsSync(defaultDataPath)
if (!hasData)
  console.warn(`skipping the weights reproduction: no training data at ${defaultDataPath}`)

describe.skipIf(!hasData)('the committed injection model', () => {
  it('is exactly what the training script produces from the data and seed', {
    timeout: 120_000,
  }, () => {
    const model = trainLogistic(featurise(loadExamples()), defaultTrainOptions)
    expect(model.featureBits).toBe(injectionModel.featureBits)
    expect(model.count).toBe(injectionModel.count)
    expect(model.bias).toBe(injectionModel.bias)
    expect(model.scale).toBe(injectionModel.scale)
    // Compared whole: a single changed weight fails the test.
    expect(model.table === injectionModel.table).toBe(true)
    expect(modelModule(model, injectionThreshold)).toContain(`count: ${injectionModel.count},`)
  })
})
