import { readdirSync, readFileSync } from 'node:fs'

/** Every descendant of `pid`, itself included (through /proc/<pid>/task/<tid>/children). */
export function processTree(pid: number): number[] {
  const found = [pid]
  for (let i = 0; i < found.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${found[i]}/task`)) {
        const children = readFileSync(`/proc/${found[i]}/task/${task}/children`, 'utf8').trim()
        if (children) found.push(...children.split(/\s+/).map(Number))
      }
    } catch {
      // Exited between the listing and the read.
    }
  }
  return found
}

/** Sum of a /proc/<pid>/status field (kB) over the given processes, in MB. Linux only. */
export function sumStatus(pids: number[], field: 'VmRSS' | 'VmHWM'): number {
  let kb = 0
  for (const pid of pids) {
    try {
      const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(
        new RegExp(`^${field}:\\s+(\\d+)`, 'm'),
      )
      if (match) kb += Number(match[1])
    } catch {
      // Gone.
    }
  }
  return Math.round(kb / 1024)
}

/**
 * CPU time (user + system) the given processes have used, in ms; processes gone are skipped.
 * Linux only: /proc/<pid>/stat counts clock ticks, 100 a second.
 */
export function cpuMs(pids: number[]): number {
  let ticks = 0
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // Gone between the listing and the read.
    }
  }
  return ticks * 10
}
