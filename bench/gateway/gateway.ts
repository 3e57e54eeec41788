/**
 * Outpost's `/v1/chat/completions` against the Portkey AI Gateway (`@portkey-ai/gateway`, a
 * devDependency) and against the upstream alone, all on the same loopback mock LLM, on Bun
 * and on Node, in one run:
 *   npm run bench:gateway -- [--runtimes bun,node] [--seconds 5] [--rounds 3] [--loader wrk|fetch]
 * Load comes from `wrk` when it is on PATH (Debian: `apt-get install wrk`), else from fetch
 * loops in this process (it says which). Every cell is measured in `--rounds` slices of
 * `--seconds`, the targets taking turns (in a rotating order) within each round, so drift of a
 * shared machine's load falls on all alike; the load average is printed with the run.
 * Cells: non-streaming at 1 and 50 clients, streaming at 50 and 200; the time to the first
 * streamed byte, and to the first chunk with text, at one client (p50 of sequential
 * requests); the p99 at one client (of all its slices' requests pooled, and the worst
 * slice's); the RSS of each gateway's process tree after the runs; and spawn-to-first-completion
 * (from spawn to the first 200 of a chat completion through it). Ratios are Outpost ÷ Portkey
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
import { type CellMeasure, cells, type Phase, printGatewayReport } from './gateway-report.ts'
import { type Gateway, startBareProxy, startOutpost, startPortkey, target } from './gateways.ts'
import { fetchLoad, firstByteTimes, hasWrk, type LoadResult, wrkLoad } from './load.ts'
import { pooledQuantile } from './pooled-quantile.ts'
import { tcpActiveOpens } from './tcp-opens.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? String(args[at + 1]) : fallback
}
const runtimes = option('runtimes', 'bun,node').split(',') as ('bun' | 'node')[]
const seconds = Number(option('seconds', '5'))
const rounds = Math.max(1, Number(option('rounds', '3')))
const useWrk = option('loader', hasWrk() ? 'wrk' : 'fetch') === 'wrk'
const load = useWrk ? wrkLoad : fetchLoad
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

// CPU times come from /proc (Linux); elsewhere the CPU columns say '-'.
const cpuKnown = existsSync('/proc/self/stat')
const mockCpu = () => (mock.child.pid ? cpuMs(processTree(mock.child.pid)) : 0)

/** One cell: every gateway measured in `rounds` slices, taking turns in a rotating order. */
async function cell(gateways: Gateway[], stream: boolean, clients: number): Promise<CellMeasure[]> {
  const parts = gateways.map(() => [] as LoadResult[])
  // Connections opened during each gateway's slices, beyond the load generator's `clients`;
  // none counted where the machine does not say (not Linux).
  const counting = tcpActiveOpens() !== undefined
  const opened = gateways.map(() => 0)
  // CPU time of each gateway's process tree and of the upstream mock during its slices (ms):
  // the cores are shared, so what a gateway costs its upstream counts against it too.
  const spent = gateways.map(() => ({ gateway: 0, upstream: 0 }))
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < gateways.length; k++) {
      const index = (k + round) % gateways.length
      const gateway = gateways[index] as Gateway
      const tree = gateway.pid ? processTree(gateway.pid) : []
      const before = { opens: tcpActiveOpens() ?? 0, gateway: cpuMs(tree), upstream: mockCpu() }
      ;(parts[index] as LoadResult[]).push(await load(target(gateway, stream), clients, seconds))
      const after = tcpActiveOpens() ?? 0
      opened[index] = (opened[index] ?? 0) + Math.max(after - before.opens - clients, 0)
      const cpu = spent[index] as (typeof spent)[number]
      cpu.gateway += cpuMs(tree) - before.gateway
      cpu.upstream += mockCpu() - before.upstream
    }
  }
  return parts.map((list, index) => {
    const requests = list.reduce((sum, r) => sum + r.requests, 0)
    const secs = list.reduce((sum, r) => sum + r.seconds, 0)
    const cpu = spent[index] as (typeof spent)[number]
    const perRequest = (ms: number) =>
      requests > 0 && cpuKnown ? (ms * 1000) / requests : undefined
    return {
      opensPerRequest: counting && requests > 0 ? (opened[index] ?? 0) / requests : undefined,
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
 * Median times to the first byte and to the first text at one client, the gateways taking
 * turns in small batches.
 */
async function firstBytes(gateways: Gateway[], perGateway = 150) {
  const times = gateways.map(() => [] as number[])
  const textTimes = gateways.map(() => [] as number[])
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
  const median = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0
  return { errors, medians: times.map(median), textMedians: textTimes.map(median) }
}

console.log(
  `load: ${useWrk ? 'wrk' : 'fetch loops in Node (wrk not found; apt-get install wrk)'}; ` +
    `${rounds} rounds × ${seconds}s per cell and gateway; load average at start ${loadAverage()}`,
)

/**
 * Measures one runtime's pair beside the upstream alone. Only that pair is running: an idle
 * gateway of the other runtime is not idle for the CPU (Node's heap shrinks in full
 * collections some 20 s after a burst, Bun collects once its burst is over), and on two
 * cores its catch-up work landed in the other pair's slices as tail latency.
 */
async function measure(runtime: 'bun' | 'node', direct: Gateway): Promise<Phase> {
  const gateways = [direct]
  let bare: Gateway | undefined
  try {
    // One at a time, so each spawn-to-first-completion is measured on its own.
    gateways.push(await startOutpost(runtime, mock.url))
    gateways.push(await startPortkey(runtime, mock.url))
    // Warm every JIT before measuring.
    for (const gateway of gateways) {
      await load(target(gateway, false), 50, 1)
      await load(target(gateway, true), 200, 2)
    }
    const results: Phase['results'] = []
    for (const c of cells) {
      results.push({ ...c, per: await cell(gateways, c.stream, c.clients) })
      console.log(`  ${runtime}: measured ${c.label} (load average ${loadAverage()})`)
    }
    // The bare proxy joins for the first bytes only: the floor of what one more hop adds.
    bare = await startBareProxy(runtime, mock.url)
    await load(target(bare, true), 20, 1)
    const firsts = await firstBytes([...gateways, bare])
    console.log(`  ${runtime}: measured time to first byte (load average ${loadAverage()})`)
    const rss = gateways.map((g) => (g.pid ? sumStatus(processTree(g.pid), 'VmRSS') : 0))
    const errors =
      firsts.errors + results.flatMap((r) => r.per).reduce((sum, m) => sum + m.errors, 0)
    return {
      runtime,
      gateways,
      bare,
      results,
      ttfb: firsts.medians,
      ttft: firsts.textMedians,
      rss,
      errors,
    }
  } finally {
    for (const g of gateways) await g.stop().catch(() => {})
    await bare?.stop().catch(() => {})
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
