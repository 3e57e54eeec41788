import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** One labelled row of the shared training file (see its SOURCES.md). */
export interface Example {
  text: string
  label: 0 | 1
  source: string
  kind: string
}

/** The shared data set, beside the repository: `../shared/data/injection/train.jsonl`. */
export const defaultDataPath = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'injection',
  'train.jsonl',
)

/** Reads the JSON-lines training file. */
export function loadExamples(path = defaultDataPath): Example[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const row = JSON.parse(line) as Example
      return { text: row.text, label: row.label, source: row.source, kind: row.kind }
    })
}

/**
 * The upstream a source key comes from. Evaluation holds out a whole upstream at a time: the
 * three JailbreakBench attacks (or the two garak files) share a style, and holding out one of
 * them while training on its siblings would flatter the model.
 */
export function originOf(source: string): string {
  if (source.startsWith('jailbreakbench-')) return 'jailbreakbench'
  if (source.startsWith('garak-')) return 'garak'
  if (source.startsWith('self-instruct-')) return 'self-instruct'
  return source
}
