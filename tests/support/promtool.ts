import { spawnSync } from 'node:child_process'

const required = process.env.REQUIRE_SERVICES === '1'

/**
 * Whether Prometheus' `promtool` is installed (Debian: `apt-get install -y prometheus`). When
 * it is not: throws under `REQUIRE_SERVICES=1`, otherwise prints why the suite skips.
 */
export function promtoolAvailable(): boolean {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' })
  if (probe.status === 0) return true
  const reason = 'promtool is not installed (apt-get install -y prometheus)'
  if (required) throw new Error(`${reason}, and REQUIRE_SERVICES=1 requires it`)
  console.warn(`[skip] ${reason}; set REQUIRE_SERVICES=1 to make this a failure`)
  return false
}

/** Runs `promtool check metrics` on an exposition; resolves to its verdict and output. */
export function promtoolCheck(text: string): { ok: boolean; output: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() }
}
