// The prompt-injection detector's latency per 10 KB text on Node, Bun and workerd, with a plain
// normalisation pass (NFKC + lower case) timed on the same texts as the baseline:
//   npm run bench:guard [-- rounds]      (20 texts x rounds samples per runtime; default 25)
// Target: p99 under 1 ms on every runtime. Absolute times depend on the machine and its load;
// the ratio to the baseline measured in the same process is the number to compare. On a busy
// machine the wall-clock p99 counts time the process was descheduled: read the CPU-time p99
// (Node, Bun) for the verdict there, and print the load average beside the figures.
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../tests/support/runtime-process.ts'
import { printTable } from '../stores/bench-table.ts'
import type { GuardBench } from './measure-guard.ts'

const root = join(import.meta.dirname, '..', '..')
const rounds = Number(process.argv[2] ?? 25)

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
    })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}`)),
    )
  })
}

async function workerd(): Promise<Measured & { clockMoves: boolean }> {
  const port = await freePort()
  const wrangler = spawn(
    process.execPath,
    [
      join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
      'dev',
      '--config',
      join(import.meta.dirname, 'wrangler.toml'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      '0',
      '--persist-to',
      mkdtempSync(join(tmpdir(), 'outpost-guard-bench-')),
      '--show-interactive-dev-session=false',
    ],
    { cwd: root, stdio: 'ignore', detached: true },
  )
  try {
    for (let attempt = 0; attempt < 120; attempt++) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/?rounds=${rounds}`)
        if (response.ok) return (await response.json()) as Measured & { clockMoves: boolean }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    throw new Error('wrangler dev did not answer within 60 s')
  } finally {
    if (wrangler.pid) process.kill(-wrangler.pid, 'SIGTERM')
  }
}

const tsx = join(root, 'node_modules', '.bin', 'tsx')
const bun = join(root, 'node_modules', '.bin', 'bun')
type Measured = GuardBench & { cpu?: GuardBench; scores: number[] }
const results: Array<[string, Measured]> = [
  ['node', JSON.parse(await run(tsx, ['bench/guard/local.ts', String(rounds)]))],
  ['bun', JSON.parse(await run(bun, ['bench/guard/local.ts', String(rounds)]))],
]
const inWorker = await workerd()
results.push([inWorker.clockMoves ? 'workerd (per pass)' : 'workerd (clock frozen)', inWorker])

console.log(
  `prompt-injection detector, 10 KB texts, ${rounds * 20} calls per runtime (ms); workerd: ${rounds} passes of 100 calls, each divided by 100 (its clock counts whole ms, so a sample is a mean and its p99 hides single slow calls); cpu: CPU time per call over ${rounds * 5} passes of 20 (Node, Bun); load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}\n`,
)
printTable(
  [
    'runtime',
    'detector p50',
    'detector p99',
    'baseline p50',
    'baseline p99',
    'p50 ratio',
    'p99 under 1 ms',
    'cpu p50',
    'cpu p99',
    'cpu p99 under 1 ms',
  ],
  results.map(([name, r]) => [
    name,
    r.detector.p50,
    r.detector.p99,
    r.baseline.p50,
    r.baseline.p99,
    `${(r.detector.p50 / Math.max(r.baseline.p50, 1e-6)).toFixed(1)}x`,
    r.detector.p99 < 1 ? 'yes' : 'no',
    r.cpu ? r.cpu.detector.p50 : '-',
    r.cpu ? r.cpu.detector.p99 : '-',
    r.cpu ? (r.cpu.detector.p99 < 1 ? 'yes' : 'no') : '-',
  ]),
)

// The same detector must give the same scores everywhere (normalisation, hashing, decoding).
const reference = JSON.stringify(results[0]?.[1].scores)
const differing = results.filter(([, r]) => JSON.stringify(r.scores) !== reference).map(([n]) => n)
console.log(
  differing.length === 0
    ? '\nscores of the 20 texts: identical on every runtime'
    : `\nscores differ from node on: ${differing.join(', ')}`,
)
