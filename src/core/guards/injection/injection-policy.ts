/** Where a text comes from on its way to the model; each path has its own policy. */
export const guardPaths = ['user-input', 'tool-result', 'recalled-memory'] as const
export type GuardPath = (typeof guardPaths)[number]

/** What to do with a suspicious text: refuse it, pass it on marked and wrapped, or not look. */
export const pathPolicies = ['block', 'flag', 'off'] as const
export type PathPolicy = (typeof pathPolicies)[number]

/** One policy per path (from the INJECTION_GUARD_* settings). */
export type InjectionPolicy = Readonly<Record<GuardPath, PathPolicy>>

/**
 * The guard's answer for one text: `allow` (not suspicious, or the path is off), `flag`
 * (suspicious, pass it on wrapped as untrusted data and mark it) or `block` (refuse it).
 * `score` is the detector's combined score (0 when the path is off); `reasons` are its reasons.
 */
export interface InjectionVerdict {
  verdict: 'allow' | 'flag' | 'block'
  score: number
  reasons: string[]
}

/** The per-path policy from the parsed configuration. */
export function injectionPolicyFrom(config: {
  INJECTION_GUARD_USER_INPUT: PathPolicy
  INJECTION_GUARD_TOOL_RESULT: PathPolicy
  INJECTION_GUARD_RECALLED_MEMORY: PathPolicy
}): InjectionPolicy {
  return {
    'user-input': config.INJECTION_GUARD_USER_INPUT,
    'tool-result': config.INJECTION_GUARD_TOOL_RESULT,
    'recalled-memory': config.INJECTION_GUARD_RECALLED_MEMORY,
  }
}
