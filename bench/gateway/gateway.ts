/**
 * Outpost's `/v1/chat/completions` against the Portkey AI Gateway (`@portkey-ai/gateway`, a
 * devDependency) and against the upstream alone, all on the same loopback mock LLM, on Bun
 * and on Node, in one run:
 *   npm run bench:gateway -- [--runtimes bun,node] [--seconds 5] [--pairs 2] [--rounds 2]
 *     [--loader wrk|fetch]
 * Load comes from `wrk` when it is on PATH (Debian: `apt-get install wrk`), else from fetch
 * loops in this process (it says which). Each gateway is started `--pairs` times, fresh (see
 * `measure`), and every cell is measured in `--rounds` slices of `--seconds` per start, the
 * targets taking turns (in a rotating order) within each round, so drift of a shared machine's
 * load falls on all alike; the load average is printed with the run.
 * Cells: non-streaming at 1 and 50 clients, streaming at 50 and 200; the time to the first
 * streamed byte, and to the first chunk with text, at one client (p50 of sequential
 * requests); the p99 at one client (of all its slices' requests pooled, and the worst
 * slice's); the RSS of each gateway's process tree after its runs (the most of its starts);
 * and spawn-to-first-completion (from spawn to the first 200 of a chat completion through it;
 * the median of its starts). Ratios are Outpost ÷ Portkey
 * on the same runtime. The first bytes are also measured through a bare proxy (`bare-proxy.ts`,
 * the runtime's own server and `fetch` with no work of its own): what it adds is the floor of
 * one more hop on this machine, and what Outpost adds beyond it is Outpost's own work.
 * On Linux each cell also counts the TCP connections opened per completed request beyond the
 * load generator's own: for a gateway, its new connections to the upstream (a keep-alive pool
 * that overflows under load reconnects, and both sides pay for it), and the CPU time per
 * completed request of the gateway's process tree and of the upstream mock: on two shared
 * cores throughput follows their sum, and CPU per request drifts less than throughput when the
 * machine's speed does.
 * The runtimes are measured one after the other, only the pair under test running beside the
 * mock (see `measure`).
 */
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { startMockLlmProcess } from '../../tests/support/mock-llm/mock-process.ts'
import { cpuMs, processTree, sumStatus } from '../startup/process-tree.ts'
import { firstByteTimes } from './first-bytes.ts'
import { type CellMeasure, cells, type Phase, printGatewayReport } from './gateway-report.ts'
import { type Gateway, startBareProxy, startOutpost, startPortkey, target } from './gateways.ts'
import { fetchLoad, hasWrk, type LoadResult, wrkLoad } from './load.ts'
import { pooledQuantile } from './pooled-quantile.ts'
import { tcpActiveOpens } from './tcp-opens.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? String(args[at + 1]) : fallback
}
const runtimes = option('runtimes', 'bun,node').split(',') as ('bun' | 'node')[]
const seconds = Number(option('seconds', '5'))
const rounds = Math.max(1, Number(option('rounds', '2')))
const pairs = Math.max(1, Number(option('pairs', '2')))
const useWrk = option('loader', hasWrk() ? 'wrk' : 'fetch') === 'wrk'
const load = useWrk ? wrkLoad : fetchLoad
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

// CPU times come from /proc (Linux); elsewhere the CPU columns say '-'.
const cpuKnown = existsSync('/proc/self/stat')
const mockCpu = () => (mock.child.pid ? cpuMs(processTree(mock.child.pid)) : 0)

/** What one cell's slices measured, per gateway, summed over every pair of processes. */
interface CellSlices {
  parts: LoadResult[][]
  /** Connections opened during each gateway's slices, beyond the load generator's `clients`. */
  opened: number[]
  /**
   * CPU time of each gateway's process tree and of the upstream mock during its slices (ms):
   * the cores are shared, so what a gateway costs its upstream counts against it too.
   */
  spent: { gateway: number; upstream: number }[]
}

const newSlices = (gateways: number): CellSlices => ({
  parts: Array.from({ length: gateways }, () => []),
  opened: Array.from({ length: gateways }, () => 0),
  spent: Array.from({ length: gateways }, () => ({ gateway: 0, upstream: 0 })),
})

/** One cell's `rounds` slices for every gateway, taking turns in a rotating order. */
async function runSlices(gateways: Gateway[], stream: boolean, clients: number, into: CellSlices) {
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < gateways.length; k++) {
      const index = (k + round) % gateways.length
      const gateway = gateways[index] as Gateway
      const tree = gateway.pid ? processTree(gateway.pid) : []
      const before = { opens: tcpActiveOpens() ?? 0, gateway: cpuMs(tree), upstream: mockCpu() }
      ;(into.parts[index] as LoadResult[]).push(
        await load(target(gateway, stream), clients, seconds),
      )
      const after = tcpActiveOpens() ?? 0
      into.opened[index] = (into.opened[index] ?? 0) + Math.max(after - before.opens - clients, 0)
      const cpu = into.spent[index] as CellSlices['spent'][number]
      cpu.gateway += cpuMs(tree) - before.gateway
      cpu.upstream += mockCpu() - before.upstream
    }
  }
}

/** A cell's numbers per gateway, over all its slices. */
function measuresOf(gateways: Gateway[], slices: CellSlices): CellMeasure[] {
  // None counted where the machine does not say (not Linux).
  const counting = tcpActiveOpens() !== undefined
  return slices.parts.map((list, index) => {
    const requests = list.reduce((sum, r) => sum + r.requests, 0)
    const secs = list.reduce((sum, r) => sum + r.seconds, 0)
    const cpu = slices.spent[index] as CellSlices['spent'][number]
    const perRequest = (ms: number) =>
      requests > 0 && cpuKnown ? (ms * 1000) / requests : undefined
    return {
      opensPerRequest:
        counting && requests > 0 ? (slices.opened[index] ?? 0) / requests : undefined,
      /** CPU µs per completed request: the gateway's own (none for the upstream alone), its upstream's. */
      cpuUs: {
        gateway: gateways[index]?.pid ? perRequest(cpu.gateway) : undefined,
        upstream: perRequest(cpu.upstream),
      },
      rps: requests / secs,
      // Every request of the cell's slices counted once (see `pooledQuantile`), and beside it
      // the worst slice's own p99, which one slow moment of the machine decides.
      p99: pooledQuantile(list, 9900),
      worstP99: Math.max(...list.map((r) => r.p99)),
      p50: list.map((r) => r.p50).sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0,
      errors: list.reduce((sum, r) => sum + r.errors, 0),
    }
  })
}

/**
 * Times to the first byte and to the first text at one client, the gateways taking turns in
 * small batches; added to `times` and `textTimes` (per gateway). Returns the failures.
 */
async function firstBytes(
  gateways: Gateway[],
  times: number[][],
  textTimes: number[][],
  perGateway = 150 / pairs,
) {
  let errors = 0
  const batch = Math.ceil(perGateway / rounds)
  for (let round = 0; round < rounds; round++) {
    for (const [index, gateway] of gateways.entries()) {
      const part = await firstByteTimes(target(gateway, true), batch)
      ;(times[index] as number[]).push(...part.times)
      ;(textTimes[index] as number[]).push(...part.textTimes)
      errors += part.errors
    }
  }
  return errors
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0

console.log(
  `load: ${useWrk ? 'wrk' : 'fetch loops in Node (wrk not found; apt-get install wrk)'}; ` +
    `${pairs} pairs of processes × ${rounds} rounds × ${seconds}s per cell and gateway; ` +
    `load average at start ${loadAverage()}`,
)

/**
 * Measures one runtime's pair beside the upstream alone. Only that pair is running: an idle
 * gateway of the other runtime is not idle for the CPU (Node's heap shrinks in full
 * collections some 20 s after a burst, Bun collects once its burst is over), and on two
 * cores its catch-up work landed in the other pair's slices as tail latency. The pair is
 * started `pairs` times, fresh, each time the other gateway first: two processes of the same
 * code stayed 15-20% apart in CPU per request for their whole lives (`cpu-per-request.ts`),
 * so one process per gateway made a ratio partly luck.
 */
async function measure(runtime: 'bun' | 'node', direct: Gateway): Promise<Phase> {
  const slices = cells.map(() => newSlices(3))
  // Per gateway, then the bare proxy.
  const times = [0, 1, 2, 3].map(() => [] as number[])
  const textTimes = [0, 1, 2, 3].map(() => [] as number[])
  const spawns = [[] as number[], [] as number[]]
  const rss = [0, 0, 0]
  let errors = 0
  let shown: Gateway[] = []
  let shownBare: Gateway | undefined
  for (let pair = 0; pair < pairs; pair++) {
    const gateways = [direct]
    let bare: Gateway | undefined
    try {
      // One at a time, so each spawn-to-first-completion is measured on its own.
      if (pair % 2 === 0) {
        gateways.push(await startOutpost(runtime, mock.url))
        gateways.push(await startPortkey(runtime, mock.url))
      } else {
        const portkey = await startPortkey(runtime, mock.url)
        gateways.push(await startOutpost(runtime, mock.url), portkey)
      }
      // Warm every JIT before measuring.
      for (const gateway of gateways) {
        await load(target(gateway, false), 50, 1)
        await load(target(gateway, true), 200, 2)
      }
      for (const [k, c] of cells.entries()) {
        await runSlices(gateways, c.stream, c.clients, slices[k] as CellSlices)
        console.log(
          `  ${runtime}, pair ${pair + 1}: measured ${c.label} (load average ${loadAverage()})`,
        )
      }
      // The bare proxy joins for the first bytes only: the floor of what one more hop adds.
      bare = await startBareProxy(runtime, mock.url)
      await load(target(bare, true), 20, 1)
      errors += await firstBytes([...gateways, bare], times, textTimes)
      console.log(
        `  ${runtime}, pair ${pair + 1}: measured time to first byte (load average ${loadAverage()})`,
      )
      for (const [i, g] of gateways.entries()) {
        rss[i] = Math.max(rss[i] ?? 0, g.pid ? sumStatus(processTree(g.pid), 'VmRSS') : 0)
      }
      spawns[0]?.push(gateways[1]?.spawnToFirstMs ?? 0)
      spawns[1]?.push(gateways[2]?.spawnToFirstMs ?? 0)
      shown = gateways
      shownBare = bare
    } finally {
      for (const g of gateways) await g.stop().catch(() => {})
      await bare?.stop().catch(() => {})
    }
  }
  // The gateways as shown: spawn to first completion is the median over the pairs.
  const gateways = shown.map((g, i) =>
    i === 0 ? g : { ...g, spawnToFirstMs: median(spawns[i - 1] ?? []) },
  )
  const results = cells.map((c, k) => ({
    ...c,
    per: measuresOf(gateways, slices[k] as CellSlices),
  }))
  errors += results.flatMap((r) => r.per).reduce((sum, m) => sum + m.errors, 0)
  return {
    runtime,
    gateways,
    bare: shownBare as Gateway,
    results,
    ttfb: times.map(median),
    ttft: textTimes.map(median),
    rss,
    errors,
  }
}

const mock = await startMockLlmProcess()
try {
  const direct: Gateway = {
    name: 'upstream direct',
    runtime: 'direct',
    kind: 'direct',
    url: `${mock.url}/v1/chat/completions`,
    model: 'mock-1',
    headers: { Authorization: 'Bearer mock' },
    stop: async () => {},
  }
  const phases: Phase[] = []
  for (const runtime of runtimes) phases.push(await measure(runtime, direct))

  printGatewayReport(phases, runtimes)
  const errors = phases.reduce((sum, phase) => sum + phase.errors, 0)
  if (errors > 0) console.log(`\nWARNING: ${errors} failed requests; the numbers above are suspect`)
  console.log(`\nload average at end ${loadAverage()}`)
} finally {
  mock.child.kill('SIGTERM')
}
