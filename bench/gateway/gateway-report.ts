import { printTable } from '../stores/bench-table.ts'
import type { Gateway } from './gateways.ts'

/** The cells of every runtime, in the order they are measured and printed. */
export const cells = [
  { label: 'non-streaming, 1 client, req/s', stream: false, clients: 1 },
  { label: 'non-streaming, 50 clients, req/s', stream: false, clients: 50 },
  { label: 'streaming, 50 clients, streams/s', stream: true, clients: 50 },
  { label: 'streaming, 200 clients, streams/s', stream: true, clients: 200 },
]

/** One gateway's numbers in one cell, over all its slices. */
export interface CellMeasure {
  /** New TCP connections per completed request beyond the load generator's (Linux only). */
  opensPerRequest: number | undefined
  /** CPU µs per completed request: the gateway's own (none for the upstream alone), its upstream's. */
  cpuUs: { gateway: number | undefined; upstream: number | undefined }
  rps: number
  /** The p99 of every request of the slices together (see `pooledQuantile`). */
  p99: number
  /** The worst slice's own p99. */
  worstP99: number
  p50: number
  errors: number
}

/**
 * One runtime's measurements: the upstream alone, Outpost and Portkey, in that order, and the
 * bare proxy, measured for the first bytes only.
 */
export interface Phase {
  runtime: 'bun' | 'node'
  gateways: Gateway[]
  bare: Gateway
  results: ((typeof cells)[number] & { per: CellMeasure[] })[]
  /** Median time to the first byte: per gateway, then the bare proxy's (0: none seen). */
  ttfb: number[]
  /** Median time to the first chunk with text, in the same order. */
  ttft: number[]
  rss: number[]
  errors: number
}

const round1 = (n: number) => Math.round(n * 10) / 10
const round2 = (n: number) => Math.round(n * 100) / 100
const micros = (n: number | undefined) => (n === undefined ? '-' : Math.round(n))
// A gateway whose every stream failed has no first byte (its median is 0): no added time either.
const addedTtfb = (ttfb: number[], i: number) =>
  ttfb[i] ? `+${round2(ttfb[i] - (ttfb[0] ?? 0))}` : 'n/a'

/** Prints the detail of every cell, the first-byte table and the table of ratios. */
export function printGatewayReport(phases: Phase[], runtimes: readonly string[]): void {
  const detail: (string | number)[][] = []
  const firstBytesRows: (string | number)[][] = []
  for (const { runtime, gateways, bare, results, ttfb, ttft, rss } of phases) {
    const named = (g: Gateway) => (g.kind === 'direct' ? `upstream direct (${runtime})` : g.name)
    for (const r of results) {
      for (const [i, g] of gateways.entries()) {
        const m = r.per[i] as (typeof r.per)[number]
        const opens =
          m.opensPerRequest === undefined ? '-' : Math.round(m.opensPerRequest * 1000) / 1000
        detail.push([
          named(g),
          r.label,
          round1(m.rps),
          round2(m.p50),
          round2(m.p99),
          round2(m.worstP99),
          opens,
          micros(m.cpuUs.gateway),
          micros(m.cpuUs.upstream),
          m.errors,
        ])
      }
    }
    for (const [i, g] of [...gateways, bare].entries()) {
      firstBytesRows.push([
        named(g),
        ttfb[i] ? round2(ttfb[i]) : 'n/a',
        i === 0 ? 0 : addedTtfb(ttfb, i),
        ttft[i] ? round2(ttft[i]) : 'n/a',
        i === 0 ? 0 : addedTtfb(ttft, i),
        g.pid && g !== bare ? (rss[i] ?? 0) : '-',
        g.spawnToFirstMs ?? '-',
      ])
    }
  }
  console.log('')
  printTable(
    [
      'gateway',
      'cell',
      'req/s',
      'p50 ms',
      'p99 ms',
      'worst slice p99 ms',
      'new conns/req',
      'CPU µs/req',
      'upstream CPU µs/req',
      'errors',
    ],
    detail,
  )
  console.log('')
  printTable(
    [
      'gateway',
      'TTFB p50 ms',
      'added TTFB ms',
      'first text p50 ms',
      'added to first text ms',
      'RSS after MB',
      'spawn to 1st completion ms',
    ],
    firstBytesRows,
  )

  // The table: Outpost ÷ Portkey on each runtime (index 1 is Outpost, 2 is Portkey).
  const per = (f: (phase: Phase, o: number, p: number) => string | number) =>
    phases.map((phase) => f(phase, 1, 2))
  const ratioRows: (string | number)[][] = []
  for (const [k, c] of cells.entries()) {
    ratioRows.push([
      c.label,
      // Should Portkey fail every request of a cell, there is no ratio to give.
      ...per((phase, o, p) => {
        const r = phase.results[k]
        const portkey = r?.per[p]?.rps ?? 0
        return portkey > 0 ? round2((r?.per[o]?.rps ?? 0) / portkey) : 'n/a (Portkey failed)'
      }),
    ])
  }
  ratioRows.push([
    'new upstream connections per stream at 200 clients (Outpost / Portkey)',
    ...per((phase, o, p) => {
      const r = phase.results.find((c) => c.stream && c.clients === 200)
      const show = (n: number | undefined) => (n === undefined ? '-' : round2(n))
      return `${show(r?.per[o]?.opensPerRequest)} / ${show(r?.per[p]?.opensPerRequest)}`
    }),
  ])
  // Throughput on two shared cores follows the CPU each request costs the gateway and its
  // upstream together; this is the steadier number when the machine's speed drifts.
  for (const [label, stream, clients] of [
    ['non-streaming, 50 clients', false, 50],
    ['streaming, 200 clients', true, 200],
  ] as const) {
    ratioRows.push([
      `CPU per request, gateway + its upstream, µs, ${label} (Outpost / Portkey)`,
      ...per((phase, o, p) => {
        const r = phase.results.find((c) => c.stream === stream && c.clients === clients)
        const total = (i: number) => {
          const cpu = r?.per[i]?.cpuUs
          return cpu?.gateway === undefined || cpu.upstream === undefined
            ? '-'
            : micros(cpu.gateway + cpu.upstream)
        }
        return `${total(o)} / ${total(p)}`
      }),
    ])
  }
  ratioRows.push([
    'p99 at 1 client, ms, all slices pooled (Outpost / Portkey)',
    ...per((phase, o, p) => {
      const r = phase.results[0]
      return `${round2(r?.per[o]?.p99 ?? 0)} / ${round2(r?.per[p]?.p99 ?? 0)}`
    }),
  ])
  ratioRows.push([
    "p99 at 1 client, ms, the worst slice's (Outpost / Portkey)",
    ...per((phase, o, p) => {
      const r = phase.results[0]
      return `${round2(r?.per[o]?.worstP99 ?? 0)} / ${round2(r?.per[p]?.worstP99 ?? 0)}`
    }),
  ])
  ratioRows.push([
    'added time to first byte, ms (Outpost / Portkey; Portkey n/a if its streams failed)',
    ...per(({ ttfb }, o, p) => `${addedTtfb(ttfb, o)} / ${addedTtfb(ttfb, p)}`),
  ])
  ratioRows.push([
    'added time to the first chunk with text, ms (Outpost / Portkey)',
    ...per(({ ttft }, o, p) => `${addedTtfb(ttft, o)} / ${addedTtfb(ttft, p)}`),
  ])
  // What one more hop costs on this machine, with no work of a gateway's own (bare-proxy.ts).
  ratioRows.push([
    'added time to first byte, ms (bare proxy, the floor; Outpost beyond it)',
    ...per(({ ttfb, gateways }, o) => {
      const floor = gateways.length
      return ttfb[floor] && ttfb[o]
        ? `${addedTtfb(ttfb, floor)} / +${round2(ttfb[o] - ttfb[floor])}`
        : 'n/a'
    }),
  ])
  ratioRows.push(['RSS after the runs, MB', ...per(({ rss }, o, p) => `${rss[o]} / ${rss[p]}`)])
  ratioRows.push([
    'spawn to first completion, ms',
    ...per(
      ({ gateways }, o, p) => `${gateways[o]?.spawnToFirstMs} / ${gateways[p]?.spawnToFirstMs}`,
    ),
  ])
  console.log('')
  printTable(['measure (Outpost ÷ Portkey, same runtime)', ...runtimes], ratioRows)
}
