// Prints the README's configuration table from src/core/config-settings.ts.
// `npm run docs:config` rewrites the README section (and the files of config-files.ts); a
// test fails when they drift apart.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type SettingDefinition, settings } from '../src/core/config-settings.ts'
import { cloudflareBindings, devVarsExample } from './config-files.ts'

export const startMarker = '<!-- config-table:start -->'
export const endMarker = '<!-- config-table:end -->'

const cell = (text: string) => text.replaceAll('|', '\\|')

/** The markdown table, one row per setting, in declaration order. */
export function configTable(): string {
  const rows = Object.entries(settings).map(([name, raw]) => {
    const definition = raw as SettingDefinition<unknown>
    const shown = definition.defaultText ?? definition.default
    const fallback = shown === undefined ? 'unset' : `\`${String(shown)}\``
    const secret = definition.secret ? 'yes' : ''
    return `| \`${name}\` | ${cell(definition.description)} | ${cell(definition.expects)} | ${fallback} | ${secret} |`
  })
  return [
    '| Variable | What it does | Expects | Default | Secret |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n')
}

/** The README with its table section replaced by the generated one. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(startMarker)
  const end = readme.indexOf(endMarker)
  if (start < 0 || end < start) throw new Error('README has no config-table markers')
  return `${readme.slice(0, start + startMarker.length)}\n${configTable()}\n${readme.slice(end)}`
}

if (process.argv[1]?.endsWith('config-table.ts')) {
  const root = join(import.meta.dirname, '..')
  const path = join(root, 'README.md')
  writeFileSync(path, withConfigTable(readFileSync(path, 'utf8')))
  writeFileSync(join(root, '.dev.vars.example'), devVarsExample())
  const packagePath = join(root, 'package.json')
  const packageJson = JSON.parse(readFileSync(packagePath, 'utf8'))
  packageJson.cloudflare = { ...packageJson.cloudflare, bindings: cloudflareBindings() }
  writeFileSync(packagePath, `${JSON.stringify(packageJson, null, 2)}\n`)
  console.log('README configuration table, .dev.vars.example and package.json bindings updated')
}
