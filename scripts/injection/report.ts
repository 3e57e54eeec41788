import { groupBy, type HeldOutScore, rate } from './evaluate.ts'

const percent = (value: number) => `${(value * 100).toFixed(1)}%`

/**
 * The model card's results section: recall per kind and false-positive rate per benign source
 * at `threshold`, for the whole detector and for each of its two halves.
 */
export function resultsTable(scores: readonly HeldOutScore[], threshold: number): string {
  const lines = [
    `Threshold: **${threshold}** (combined score). Every row is scored by a model trained without its upstream.`,
    '',
    '| kind | rows | detector | model alone | patterns alone |',
    '| --- | --- | --- | --- | --- |',
  ]
  const attacks = scores.filter((s) => s.example.label === 1)
  for (const [kind, group] of groupBy(attacks, (s) => s.example.kind)) {
    lines.push(row(kind, group, threshold))
  }
  lines.push(row('all attacks', attacks, threshold))
  lines.push(
    '',
    '| benign source (kind) | rows | detector FPR | model alone | patterns alone |',
    '| --- | --- | --- | --- | --- |',
  )
  const benign = scores.filter((s) => s.example.label === 0)
  for (const [source, group] of groupBy(benign, (s) => s.example.source)) {
    lines.push(row(`${source} (${group[0]?.example.kind})`, group, threshold))
  }
  lines.push(row('all benign', benign, threshold))
  lines.push('', '| attack source | rows | detector recall |', '| --- | --- | --- |')
  for (const [source, group] of groupBy(attacks, (s) => s.example.source)) {
    lines.push(
      `| ${source} | ${group.length} | ${percent(rate(group, (s) => s.score >= threshold))} |`,
    )
  }
  return lines.join('\n')
}

function row(name: string, group: readonly HeldOutScore[], threshold: number): string {
  const detector = rate(group, (s) => s.score >= threshold)
  const model = rate(group, (s) => s.modelScore >= threshold)
  const patterns = rate(group, (s) => s.patterns.length > 0)
  return `| ${name} | ${group.length} | ${percent(detector)} | ${percent(model)} | ${percent(patterns)} |`
}

/** Area under the ROC curve of the held-out combined scores (ties count half). */
export function auc(scores: readonly HeldOutScore[]): number {
  const pos = scores.filter((s) => s.example.label === 1).map((s) => s.score)
  const neg = scores.filter((s) => s.example.label === 0).map((s) => s.score)
  const all = [...pos.map((s) => [s, 1] as const), ...neg.map((s) => [s, 0] as const)].sort(
    (a, b) => a[0] - b[0],
  )
  let rankSum = 0
  for (let i = 0; i < all.length; ) {
    let j = i
    while (j < all.length && all[j]?.[0] === all[i]?.[0]) j++
    const rank = (i + j + 1) / 2
    for (let k = i; k < j; k++) if (all[k]?.[1] === 1) rankSum += rank
    i = j
  }
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length)
}
