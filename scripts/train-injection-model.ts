// Trains the prompt-injection model and writes it beside the detector:
//   npm run train:injection                              leave-one-source-out, threshold, final model
//   npx tsx scripts/train-injection-model.ts --dry-run  prints the results, writes nothing
// Data: ../shared/data/injection/train.jsonl (sources and licences in its SOURCES.md).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chooseThreshold, leaveOneSourceOut } from './injection/evaluate.ts'
import { loadExamples } from './injection/examples.ts'
import { modelModule } from './injection/model-module.ts'
import { auc, resultsTable } from './injection/report.ts'
import { defaultTrainOptions, featurise, trainLogistic } from './injection/train-logistic.ts'

/** Highest false-positive rate allowed on any benign source when choosing the threshold. */
const maxFalsePositiveRate = 0.03
const folder = join(import.meta.dirname, '..', 'src', 'core', 'guards', 'injection')
const startMarker = '<!-- results:start -->'
const endMarker = '<!-- results:end -->'

const dryRun = process.argv.includes('--dry-run')
const optionsArg = process.argv.indexOf('--options')
const options = {
  ...defaultTrainOptions,
  ...(optionsArg > 0 ? JSON.parse(process.argv[optionsArg + 1] ?? '{}') : {}),
}

const started = performance.now()
const examples = loadExamples()
const rows = featurise(examples)
const heldOut = leaveOneSourceOut(examples, rows, options)
const threshold = chooseThreshold(heldOut, maxFalsePositiveRate)
const results = `${resultsTable(heldOut, threshold)}\n\nHeld-out AUC (all sources pooled): ${auc(heldOut).toFixed(3)}.`
console.log(results)
const model = trainLogistic(rows, options)
const source = modelModule(model, threshold)
console.log(
  `\n${model.count} weights, ${source.length} bytes of module, ${((performance.now() - started) / 1000).toFixed(1)} s`,
)

if (!dryRun) {
  writeFileSync(join(folder, 'model-weights.ts'), source)
  const cardPath = join(folder, 'MODEL_CARD.md')
  const card = readFileSync(cardPath, 'utf8')
  const start = card.indexOf(startMarker)
  const end = card.indexOf(endMarker)
  if (start < 0 || end < start) throw new Error('MODEL_CARD.md has no results markers')
  writeFileSync(
    cardPath,
    `${card.slice(0, start + startMarker.length)}\n${results}\n${card.slice(end)}`,
  )
  console.log('wrote model-weights.ts and the results in MODEL_CARD.md')
}
