import { InjectionBlockedError } from './injection-blocked-error.ts'
import type { InjectionGuard } from './injection-guard.ts'
import type { GuardPath, InjectionVerdict } from './injection-policy.ts'

/** One text on its way to a model, and the path it came by. */
export interface GuardedInput {
  path: GuardPath
  text: string
}

/** A text the guard flagged: pass it on wrapped (untrusted-data.ts) and report the verdict. */
export interface FlaggedInput extends GuardedInput {
  verdict: InjectionVerdict
}

/**
 * The gate's `inspect` decision over a request's inputs, as a value: `refuse` carries the
 * `InjectionBlockedError` of the first blocked input (the stage returns it as its refusal);
 * otherwise `pass` lists the flagged inputs, which the run marks with a `guard` event and hands
 * to the model wrapped as untrusted data.
 */
export function inspectInputs(
  guard: InjectionGuard,
  inputs: readonly GuardedInput[],
): { kind: 'refuse'; error: InjectionBlockedError } | { kind: 'pass'; flagged: FlaggedInput[] } {
  const flagged: FlaggedInput[] = []
  for (const input of inputs) {
    const verdict = guard.inspect(input.path, input.text)
    if (verdict.verdict === 'block') {
      return { kind: 'refuse', error: new InjectionBlockedError(input.path, verdict) }
    }
    if (verdict.verdict === 'flag') flagged.push({ ...input, verdict })
  }
  return { kind: 'pass', flagged }
}
