/**
 * What `/v1/chat/completions` adds over calling the model server directly: the app on Bun
 * (its real entry file) in front of the mock LLM on loopback, against the mock alone.
 *   npx tsx bench/api/api.ts [--requests 1000] [--seconds 10] [--baseline main] [--rounds 4]
 * For non-streaming and streaming requests (latency = time to first byte of the body when
 * streaming), at concurrency 1 and 50: requests/s, p50 and p99. Then the added milliseconds
 * and the throughput ratio. Bounded: each cell stops at `--requests` (200 at concurrency 1)
 * or `--seconds`, whichever comes first.
 *
 * With `--baseline REF` (a git ref, such as `main`) the same cells also run against that
 * build, checked out into a temporary folder (sharing this node_modules), and the two builds
 * are measured alternately in `--rounds` slices per cell, so drift of the machine's load
 * falls on both alike. The last table compares them.
 */
import { execSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { hashApiKey, newApiKeySecret } from '../../src/core/auth/api-key-secret.ts'
import { startMockLlmProcess } from '../../tests/support/mock-llm/mock-process.ts'
import {
  type RuntimeProcess,
  startRuntime,
  waitUntilReady,
} from '../../tests/support/runtime-process.ts'
import { printTable } from '../stores/bench-table.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? Number(args[at + 1]) : fallback
}
const text = (name: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? args[at + 1] : undefined
}
const maxRequests = option('requests', 1000)
const maxSeconds = option('seconds', 10)
const rounds = Math.max(1, option('rounds', 4))
const baselineRef = text('baseline')
const root = resolve(import.meta.dirname, '..', '..')
const prompt = 'hi there, how are you doing today?'

/** Another build of the app: `ref` exported from git into a temporary folder. */
function checkout(ref: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-baseline-'))
  execSync(`git archive --format=tar ${JSON.stringify(ref)} | tar -x -C ${JSON.stringify(dir)}`, {
    cwd: root,
    stdio: 'inherit',
  })
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

interface Target {
  name: string
  url: string
  model: string
  headers: Record<string, string>
}

/** One request; resolves with its latency (to the first body byte when streaming). */
async function once(target: Target, stream: boolean): Promise<number> {
  const start = performance.now()
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...target.headers },
    body: JSON.stringify({
      model: target.model,
      messages: [{ role: 'user', content: prompt }],
      stream,
    }),
  })
  if (response.status !== 200) throw new Error(`${target.name}: HTTP ${response.status}`)
  const reader = response.body!.getReader()
  let first: number | undefined
  for (;;) {
    const { done } = await reader.read()
    first ??= performance.now() - start
    if (done) break
  }
  return stream ? (first as number) : performance.now() - start
}

interface Cell {
  rps: number
  p50: number
  p99: number
  n: number
}

/** Samples of one slice: at most `limit` requests or `seconds`, with `concurrency` workers. */
async function slice(
  target: Target,
  stream: boolean,
  concurrency: number,
  limit: number,
  seconds: number,
) {
  const deadline = performance.now() + seconds * 1000
  const samples: number[] = []
  let started = 0
  const began = performance.now()
  const worker = async () => {
    while (started < limit && performance.now() < deadline) {
      started += 1
      samples.push(await once(target, stream))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { samples, seconds: (performance.now() - began) / 1000 }
}

function summary(samples: number[], seconds: number): Cell {
  const sorted = [...samples].sort((a, b) => a - b)
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { rps: samples.length / seconds, p50: pick(0.5), p99: pick(0.99), n: samples.length }
}

/** Every target measured in `rounds` alternating slices; one cell per target. */
async function cells(targets: Target[], stream: boolean, concurrency: number): Promise<Cell[]> {
  for (const target of targets) for (let i = 0; i < 20; i++) await once(target, stream)
  const limit = concurrency === 1 ? Math.min(200, maxRequests) : maxRequests
  const all = targets.map(() => ({ samples: [] as number[], seconds: 0 }))
  for (let round = 0; round < rounds; round++) {
    for (const [index, target] of targets.entries()) {
      const part = await slice(
        target,
        stream,
        concurrency,
        Math.ceil(limit / rounds),
        maxSeconds / rounds,
      )
      const into = all[index] as (typeof all)[number]
      into.samples.push(...part.samples)
      into.seconds += part.seconds
    }
  }
  return all.map((a) => summary(a.samples, a.seconds))
}

const mock = await startMockLlmProcess()
const secret = newApiKeySecret()
const vars = {
  OPENAI_BASE_URL: `${mock.url}/v1`,
  LOCAL_MODEL: 'mock-1',
  API_KEY_HASHES: `bench:${await hashApiKey(secret)}`,
  LOG_LEVEL: 'error',
}
const baseline = baselineRef ? checkout(baselineRef) : undefined
const apps: { name: string; app: RuntimeProcess }[] = []
try {
  if (baseline) {
    apps.push({
      name: `baseline (${baselineRef})`,
      app: await startRuntime('bun', vars, { cwd: baseline.dir }),
    })
  }
  apps.push({ name: baseline ? 'this build' : 'outpost', app: await startRuntime('bun', vars) })
  for (const { app } of apps) await waitUntilReady(app)
  const direct: Target = {
    name: 'mock direct',
    url: `${mock.url}/v1/chat/completions`,
    model: 'mock-1',
    headers: { Authorization: 'Bearer mock' },
  }
  const targets: Target[] = [
    direct,
    ...apps.map(({ name, app }) => ({
      name,
      url: `${app.baseUrl}/v1/chat/completions`,
      model: 'local:mock-1',
      headers: { Authorization: `Bearer ${secret}` },
    })),
  ]
  const rows: (string | number)[][] = []
  const compare: (string | number)[][] = []
  const builds: (string | number)[][] = []
  for (const stream of [false, true]) {
    for (const concurrency of [1, 50]) {
      const measured = await cells(targets, stream, concurrency)
      const mode = stream ? 'stream (TTFB)' : 'json'
      const [a, ...apps] = measured as [Cell, ...Cell[]]
      for (const [index, cell] of measured.entries()) {
        const name = targets[index]?.name ?? ''
        rows.push([name, mode, concurrency, cell.n, cell.rps, cell.p50, cell.p99])
        if (index > 0) {
          compare.push([
            name,
            mode,
            concurrency,
            cell.p50 - a.p50,
            cell.p99 - a.p99,
            cell.rps / a.rps,
          ])
        }
      }
      const [base, current] = apps
      if (base && current) {
        builds.push([
          mode,
          concurrency,
          base.p50,
          current.p50,
          current.p50 - base.p50,
          base.p99,
          current.p99,
          current.rps / base.rps,
        ])
      }
    }
  }
  console.log(
    `\nmock LLM (node) on loopback; Outpost on Bun; client: node fetch; ${rounds} rounds\n`,
  )
  printTable(['target', 'mode', 'conc', 'n', 'req/s', 'p50 ms', 'p99 ms'], rows)
  console.log('')
  printTable(
    ['target', 'mode', 'conc', 'added p50 ms', 'added p99 ms', 'throughput ratio'],
    compare,
  )
  if (builds.length > 0) {
    console.log('')
    printTable(
      [
        'mode',
        'conc',
        'baseline p50',
        'this p50',
        'p50 diff ms',
        'baseline p99',
        'this p99',
        'throughput this/baseline',
      ],
      builds,
    )
  }
} finally {
  for (const { app } of apps) await app.stop()
  mock.child.kill('SIGTERM')
  baseline?.remove()
}
