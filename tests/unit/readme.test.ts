import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { configTable, withConfigTable } from '../../scripts/config-table.ts'
import { eventTable, withEventTable } from '../../scripts/event-table.ts'
import { agentEventTypes } from '../../src/core/agent/agent-event.ts'
import { settings } from '../../src/core/config-settings.ts'

const root = join(import.meta.dirname, '..', '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>
}

// Formatters pad table cells to align columns; compare the cells, not the padding.
const normalizeTables = (text: string) =>
  text
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => cell.trim().replace(/^-{3,}$/, '---'))
            .join('|')
        : line,
    )
    .join('\n')

describe('README', () => {
  it('has the configuration table generated from config-settings.ts (npm run docs:config)', () => {
    expect(normalizeTables(readme)).toBe(normalizeTables(withConfigTable(readme)))
    for (const name of Object.keys(settings)) expect(configTable()).toContain(`\`${name}\``)
  })

  it('has the run-event table generated from agent-event.ts (npm run docs:events)', () => {
    expect(normalizeTables(readme)).toBe(normalizeTables(withEventTable(readme)))
    for (const type of Object.keys(agentEventTypes)) expect(eventTable()).toContain(`\`${type}\``)
  })

  it('names only npm scripts that exist', () => {
    const named = [...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] ?? '')
    expect(named.length).toBeGreaterThan(3)
    for (const script of named) expect(Object.keys(packageJson.scripts)).toContain(script)
  })

  it('gives the two quick-start commands: start on embedded defaults, run every test', () => {
    expect(readme).toContain('npm install && npm start')
    expect(readme).toContain('npm install && npm test')
    expect(packageJson.scripts.start).toContain('src/runtime/bun.ts')
    expect(packageJson.scripts.test).toBe('vitest run')
  })
})
