/** Latency summary of a list of samples (milliseconds). */
export interface LatencySummary {
  n: number
  p50: number
  p95: number
  mean: number
  opsPerSecond: number
}

/** Runs `work` `n` times in sequence and summarises the latencies. */
export async function measure(n: number, work: (i: number) => Promise<unknown>) {
  const samples: number[] = []
  for (let i = 0; i < n; i++) {
    const start = performance.now()
    await work(i)
    samples.push(performance.now() - start)
  }
  return summarise(samples)
}

/** p50, p95, mean and the sequential throughput of the samples. */
export function summarise(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b)
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  const total = samples.reduce((a, b) => a + b, 0)
  return {
    n: samples.length,
    p50: pick(0.5),
    p95: pick(0.95),
    mean: total / samples.length,
    opsPerSecond: (samples.length / total) * 1000,
  }
}

/** Prints rows as an aligned text table. */
export function printTable(headers: string[], rows: (string | number)[][]) {
  const cells = rows.map((row) =>
    row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)),
  )
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)))
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')
  console.log(line(headers))
  console.log(line(widths.map((w) => '-'.repeat(w))))
  for (const row of cells) console.log(line(row))
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value)
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)
}
