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
  /** An optional dependency failed: the app works without it (ready, but degraded). */
  degraded?: true
}

/**
 * What `/readyz` reports: ready when every required check passed. Failed optional checks
 * (remote MCP servers) are listed in `degraded` without making the app unready.
 */
export interface ReadinessReport {
  status: 'ready' | 'not_ready'
  checks: CheckResult[]
  degraded?: string[]
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
  const degraded = results.filter((r) => r.degraded).map((r) => r.name)
  return {
    status: results.every((r) => r.ok || r.degraded) ? 'ready' : 'not_ready',
    checks: results,
    ...(degraded.length > 0 ? { degraded } : {}),
  }
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
  const base = {
    name: check.name,
    kind: check.kind,
    backend: check.backend,
    ...(check.optional ? { degraded: true as const } : {}),
  }
  try {
    const outcome = await Promise.race([check.check(controller.signal), timedOut])
    const latency_ms = Math.round(now() - started)
    if (outcome === 'timeout') return { ...base, ok: false, latency_ms, error: 'timeout' }
    const { degraded: _, ...passed } = base
    return { ...passed, ok: true, latency_ms }
  } catch (error) {
    const latency_ms = Math.round(now() - started)
    return { ...base, ok: false, latency_ms, error: isAppError(error) ? error.code : 'unavailable' }
  } finally {
    clearTimeout(timer)
  }
}
