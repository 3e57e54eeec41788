import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TAIL_FROM_BP, TAIL_POINTS, tailOf } from './pooled-quantile.ts'

/** One POST target of a load run. */
export interface LoadTarget {
  url: string
  headers: Record<string, string>
  body: string
}

/** What a load run measured: completed responses per second and the latency tail (ms). */
export interface LoadResult {
  requests: number
  seconds: number
  rps: number
  p50: number
  p99: number
  /** The latency quantiles from the p95 up, one per basis point (see `pooled-quantile.ts`). */
  tail: number[]
  /** Socket errors plus non-2xx answers: a run with errors is not a fair number. */
  errors: number
}

/** Whether `wrk` is on PATH (Debian: `apt-get install wrk`). */
export function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
    return true
  } catch (error) {
    // wrk --version exits 1 after printing its version; only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}

// wrk's Lua hooks: send the POST, and print one JSON line of the summary when done.
const wrkScript = (target: LoadTarget) => `
wrk.method = "POST"
wrk.body = ${JSON.stringify(target.body)}
${Object.entries({ 'Content-Type': 'application/json', ...target.headers })
  .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
  .join('\n')}
done = function(summary, latency, requests)
  local e = summary.errors
  local tail = {}
  for k = 0, ${TAIL_POINTS - 1} do tail[#tail + 1] = latency:percentile((${TAIL_FROM_BP} + k) / 100) end
  io.write(string.format('\\n@@{"requests":%d,"micros":%d,"p50":%f,"p99":%f,"errors":%d,"status":%d,"tail":[%s]}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout, e.status, table.concat(tail, ',')))
end
`

/** Runs wrk with `connections` keep-alive connections for `seconds`. */
export async function wrkLoad(
  target: LoadTarget,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-wrk-'))
  const script = join(dir, 'post.lua')
  writeFileSync(script, wrkScript(target))
  const threads = String(Math.min(2, connections))
  try {
    const stdout = await new Promise<string>((done, fail) => {
      execFile(
        'wrk',
        [
          ...['-t', threads, '-c', String(connections), '-d', `${seconds}s`],
          // wrk's default 2 s timeout would count a slow stream under load as an error.
          ...['--timeout', '30s', '-s', script, target.url],
        ],
        { timeout: (seconds + 30) * 1000 },
        (error, out) => (error ? fail(error) : done(out)),
      )
    })
    const line = stdout.split('\n').find((l) => l.startsWith('@@'))
    if (!line) throw new Error(`wrk printed no summary:\n${stdout}`)
    const raw = JSON.parse(line.slice(2)) as {
      requests: number
      micros: number
      p50: number
      p99: number
      errors: number
      status: number
      tail: number[]
    }
    const secs = raw.micros / 1e6
    // wrk counts non-2xx answers as requests too; a fast error page is not throughput.
    const ok = raw.requests - raw.status
    return {
      requests: ok,
      seconds: secs,
      rps: ok / secs,
      p50: raw.p50 / 1000,
      p99: raw.p99 / 1000,
      tail: raw.tail.map((micros) => micros / 1000),
      errors: raw.errors,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The fallback without wrk: `connections` fetch loops in this process for `seconds`. */
export async function fetchLoad(
  target: LoadTarget,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const samples: number[] = []
  let errors = 0
  const began = performance.now()
  const deadline = began + seconds * 1000
  const worker = async () => {
    while (performance.now() < deadline) {
      const start = performance.now()
      try {
        const response = await fetch(target.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...target.headers },
          body: target.body,
        })
        await response.arrayBuffer()
        if (response.status !== 200) errors += 1
        else samples.push(performance.now() - start)
      } catch {
        errors += 1
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, worker))
  const secs = (performance.now() - began) / 1000
  const sorted = samples.sort((a, b) => a - b)
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return {
    requests: samples.length,
    seconds: secs,
    rps: samples.length / secs,
    p50: pick(0.5),
    p99: pick(0.99),
    tail: tailOf(sorted),
    errors,
  }
}
