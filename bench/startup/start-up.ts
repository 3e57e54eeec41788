/**
 * First start and memory of each runtime's real entry file, as a newcomer meets them.
 *   npx tsx bench/startup/start-up.ts [--runtimes bun,deno,node] [--settle 20]
 * For each runtime: start it with a brand-new temporary DATA_DIR ("fresh": the embedded
 * database is created), stop it, then start it again on the same folder ("reopened"). Reports
 * the milliseconds from spawn to the `listening` line, to the first 200 of /healthz and of the
 * home page, how long that first home page took, and the RSS of the whole process tree:
 * the peak of the sampled sum, the sum of each process's high-water mark (VmHWM), and the sum
 * `--settle` seconds after spawn. Linux only (/proc). Runs one process at a time.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildNodeBundle } from '../../scripts/build-node.ts'
import { freePort } from '../../tests/support/runtime-process.ts'
import { printTable } from '../stores/bench-table.ts'
import { sumStatus, processTree as tree } from './process-tree.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? String(args[at + 1]) : fallback
}
const runtimes = option('runtimes', 'bun,deno,node').split(',')
const settleMs = Number(option('settle', '20')) * 1000
const root = resolve(import.meta.dirname, '..', '..')
const bin = (name: string) => join(root, 'node_modules', '.bin', name)
const denoFlags = ['--allow-net', '--allow-env', '--allow-read', '--allow-write', '--allow-sys']

const commands: Record<string, string[]> = {
  bun: [bin('bun'), 'src/runtime/bun.ts'],
  deno: [bin('deno'), 'run', ...denoFlags, '--allow-ffi', 'src/runtime/deno.ts'],
  // What `npm run start:node` runs: the bundle, built below before anything is timed.
  node: [process.execPath, '--enable-source-maps', 'dist/node/server.mjs'],
}

async function ok(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    await response.arrayBuffer()
    return response.status === 200
  } catch {
    return false
  }
}

async function measure(runtime: string, dataDir: string, phase: string) {
  const port = await freePort()
  const [command, ...rest] = commands[runtime] ?? []
  if (!command) throw new Error(`unknown runtime ${runtime}`)
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  const child = spawn(command, rest, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
  })
  let output = ''
  let listening: number | undefined
  const onData = (chunk: Buffer) => {
    output += chunk
    if (listening === undefined && output.includes('"listening"')) listening = elapsed()
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  const pid = child.pid ?? 0
  let peak = 0
  let hwm = 0
  const sampler = setInterval(() => {
    const pids = tree(pid)
    peak = Math.max(peak, sumStatus(pids, 'VmRSS'))
    hwm = Math.max(hwm, sumStatus(pids, 'VmHWM'))
  }, 100)
  const base = `http://127.0.0.1:${port}`
  let healthz: number | undefined
  let home: number | undefined
  let homeTook: number | undefined
  while (elapsed() < 120_000 && child.exitCode === null) {
    if (healthz === undefined && (await ok(`${base}/healthz`, 1000))) healthz = elapsed()
    if (healthz !== undefined) {
      const before = elapsed()
      if (await ok(`${base}/`, 60_000)) {
        home = elapsed()
        homeTook = home - before
        break
      }
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  while (elapsed() < settleMs && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 200))
  const settled = sumStatus(tree(pid), 'VmRSS')
  clearInterval(sampler)
  const exited = new Promise((done) => child.once('exit', done))
  if (child.exitCode === null) process.kill(-pid, 'SIGTERM')
  const kill = setTimeout(() => process.kill(-pid, 'SIGKILL'), 15_000)
  await exited
  clearTimeout(kill)
  if (home === undefined) console.error(`${runtime} ${phase}: no home page\n${output}`)
  return {
    runtime,
    phase,
    'listening ms': listening ?? '-',
    'healthz ms': healthz ?? '-',
    'home ms': home ?? '-',
    'home took ms': homeTook ?? '-',
    'peak RSS MB': peak,
    'sum VmHWM MB': hwm,
    [`RSS at ${settleMs / 1000}s MB`]: settled,
  }
}

if (runtimes.includes('node')) await buildNodeBundle()
const rows = []
for (const runtime of runtimes) {
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-start-up-'))
  try {
    rows.push(await measure(runtime, dataDir, 'fresh'))
    rows.push(await measure(runtime, dataDir, 'reopened'))
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
const headers = Object.keys(rows[0] ?? {})
printTable(
  headers,
  rows.map((row) => Object.values(row)),
)
