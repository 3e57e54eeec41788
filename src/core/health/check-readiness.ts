import { isAppError } from '../errors.ts'
import type { ReadinessCheck } from './readiness-check.ts'

/** The outcome of one check, safe to show: no error message from a driver is echoed. */
export interface CheckResult {
  name: string
  kind: ReadinessCheck['kind']
  backend: string
  ok: boolean
  latency_ms: number
  error?: string
}

/** What `/readyz` reports: ready only when every check passed. */
export interface ReadinessReport {
  status: 'ready' | 'not_ready'
  checks: CheckResult[]
}

/**
 * Runs every check concurrently, each bounded by `timeoutMs`. A check that times out is
 * aborted and reported as `timeout`; one that fails is reported by its error code (ours) or
 * as `unavailable`, because driver messages may carry hosts or credentials.
 */
export async function checkReadiness(
  checks: readonly ReadinessCheck[],
  options: { timeoutMs: number; now?: () => number },
): Promise<ReadinessReport> {
  const now = options.now ?? (() => performance.now())
  const results = await Promise.all(checks.map((check) => runCheck(check, options.timeoutMs, now)))
  return { status: results.every((r) => r.ok) ? 'ready' : 'not_ready', checks: results }
}

async function runCheck(
  check: ReadinessCheck,
  timeoutMs: number,
  now: () => number,
): Promise<CheckResult> {
  const controller = new AbortController()
  const started = now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort()
      resolve('timeout')
    }, timeoutMs)
  })
  const base = { name: check.name, kind: check.kind, backend: check.backend }
  try {
    const outcome = await Promise.race([check.check(controller.signal), timedOut])
    const latency_ms = Math.round(now() - started)
    if (outcome === 'timeout') return { ...base, ok: false, latency_ms, error: 'timeout' }
    return { ...base, ok: true, latency_ms }
  } catch (error) {
    const latency_ms = Math.round(now() - started)
    return { ...base, ok: false, latency_ms, error: isAppError(error) ? error.code : 'unavailable' }
  } finally {
    clearTimeout(timer)
  }
}
