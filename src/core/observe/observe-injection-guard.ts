import { injectionGuardName } from '../guards/injection/injection-blocked-error.ts'
import type { InjectionGuard } from '../guards/injection/injection-guard.ts'
import type { OutpostMetrics } from '../telemetry/outpost-metrics.ts'

/**
 * Counts every verdict of the prompt-injection guard (`outpost_guard_verdicts_total` by guard,
 * path and verdict), so an operator sees how often each path flags or blocks before choosing
 * a stricter policy. Paths that are `off` are not counted: nothing was inspected.
 */
export function observeInjectionGuard(
  guard: InjectionGuard,
  metrics: Pick<OutpostMetrics, 'guardVerdicts'>,
): InjectionGuard {
  return {
    policy: guard.policy,
    inspect(path, text) {
      const verdict = guard.inspect(path, text)
      if (guard.policy[path] !== 'off') {
        metrics.guardVerdicts.add({ guard: injectionGuardName, path, verdict: verdict.verdict })
      }
      return verdict
    },
    enforce(path, text) {
      try {
        const enforced = guard.enforce(path, text)
        if (guard.policy[path] !== 'off') {
          metrics.guardVerdicts.add({
            guard: injectionGuardName,
            path,
            verdict: enforced.verdict.verdict,
          })
        }
        return enforced
      } catch (blocked) {
        metrics.guardVerdicts.add({ guard: injectionGuardName, path, verdict: 'block' })
        throw blocked
      }
    },
  }
}
