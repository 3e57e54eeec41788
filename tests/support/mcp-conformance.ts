import { spawn } from 'node:child_process'
import { resolve } from 'node:path'

/**
 * The official MCP conformance suite, pinned. It needs Node 22 or later (the repository's
 * Node is 20), so npx brings both: the first run downloads them into npm's cache, later
 * runs start from there (CI warms the cache before the tests, see .ci/run).
 */
export const conformanceCommand = [
  'npx',
  '-y',
  '-p',
  'node@22',
  '-p',
  '@modelcontextprotocol/conformance@0.1.16',
  '--',
  'conformance',
]

/** The scenarios /mcp is known not to pass, each with its reason. */
export const expectedFailuresFile = resolve(
  import.meta.dirname,
  '..',
  'fixtures',
  'mcp-conformance-expected-failures.yml',
)

/** What one run of the server scenarios reported. */
export interface ConformanceReport {
  /** 0 when every failure is expected and no expected failure passes. */
  exitCode: number
  passedChecks: number
  failedChecks: number
  /** Scenario names by outcome, from the summary. */
  passed: string[]
  failed: string[]
  output: string
}

/** Runs the suite's server scenarios against `url` (which must be a loopback URL). */
export function runConformance(url: string): Promise<ConformanceReport> {
  const [command, ...args] = conformanceCommand as [string, ...string[]]
  const child = spawn(
    command,
    [...args, 'server', '--url', url, '--expected-failures', expectedFailuresFile],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  return new Promise((done, failed) => {
    child.on('error', failed)
    child.on('close', (code) => {
      const total = /Total: (\d+) passed, (\d+) failed/.exec(output)
      const scenarios = (mark: string) =>
        [...output.matchAll(new RegExp(`^${mark} ([\\w-]+): `, 'gm'))].map((match) => match[1]!)
      done({
        exitCode: code ?? -1,
        passedChecks: Number(total?.[1] ?? 0),
        failedChecks: Number(total?.[2] ?? 0),
        passed: scenarios('✓'),
        failed: scenarios('✗'),
        output,
      })
    })
  })
}
