// Prints the README's run-event table from src/core/agent/agent-event.ts (`agentEventTypes`).
// `npm run docs:events` rewrites the README section; a test fails when they drift apart.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { agentEventTypes } from '../src/core/agent/agent-event.ts'

export const startMarker = '<!-- event-table:start -->'
export const endMarker = '<!-- event-table:end -->'

/** The markdown table, one row per event type, in the order a turn produces them. */
export function eventTable(): string {
  const rows = Object.entries(agentEventTypes).map(
    ([type, meaning]) => `| \`${type}\` | ${meaning.replaceAll('|', '\\|')} |`,
  )
  return ['| event | what it says |', '| --- | --- |', ...rows].join('\n')
}

/** The README with its event-table section replaced by the generated one. */
export function withEventTable(readme: string): string {
  const start = readme.indexOf(startMarker)
  const end = readme.indexOf(endMarker)
  if (start < 0 || end < start) throw new Error('README has no event-table markers')
  return `${readme.slice(0, start + startMarker.length)}\n${eventTable()}\n${readme.slice(end)}`
}

if (process.argv[1]?.endsWith('event-table.ts')) {
  const path = join(import.meta.dirname, '..', 'README.md')
  writeFileSync(path, withEventTable(readFileSync(path, 'utf8')))
  console.log('README run-event table updated')
}
