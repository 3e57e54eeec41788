import { readFileSync } from 'node:fs'

/**
 * TCP connections this machine has opened so far (`ActiveOpens` in `/proc/net/snmp`), or
 * undefined where there is no such file (not Linux). Read before and after a load slice, it
 * counts the connections a gateway opened to the upstream during it, once the load
 * generator's own are taken off: a gateway whose keep-alive pool overflows pays a connect,
 * an accept and a close on both sides for each.
 */
export function tcpActiveOpens(): number | undefined {
  let text: string
  try {
    text = readFileSync('/proc/net/snmp', 'utf8')
  } catch {
    return undefined
  }
  // Two `Tcp:` lines: the field names, then their values.
  const [names, values] = text
    .split('\n')
    .filter((line) => line.startsWith('Tcp:'))
    .map((line) => line.trim().split(/\s+/))
  const at = names?.indexOf('ActiveOpens') ?? -1
  const value = at > 0 ? Number(values?.[at]) : Number.NaN
  return Number.isFinite(value) ? value : undefined
}
