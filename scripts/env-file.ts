// Reads `.env`-style files (`.dev.vars`, `.env`): NAME=value lines, `#` comments, optional
// single or double quotes, `export ` prefixes. Enough for settings; no interpolation.
import { readFileSync } from 'node:fs'

/** The variables a file sets, in file order; later lines win. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line)
    if (!match) continue
    const [, name = '', rest = ''] = match
    const quote = rest[0]
    if ((quote === '"' || quote === "'") && rest.length > 1 && rest.endsWith(quote)) {
      const inner = rest.slice(1, -1)
      values[name] = quote === '"' ? inner.replaceAll('\\n', '\n').replaceAll('\\"', '"') : inner
    } else {
      values[name] = rest.replace(/\s+#.*$/, '')
    }
  }
  return values
}

/** `parseEnvFile` of a file on disk. */
export function readEnvFile(path: string): Record<string, string> {
  return parseEnvFile(readFileSync(path, 'utf8'))
}
