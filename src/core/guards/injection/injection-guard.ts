import { createInjectionDetector, type InjectionDetector } from './detector.ts'
import { InjectionBlockedError } from './injection-blocked-error.ts'
import type { GuardPath, InjectionPolicy, InjectionVerdict } from './injection-policy.ts'
import { createLinearModel } from './linear-model.ts'
import { injectionModel, injectionThreshold } from './model-weights.ts'
import { wrapUntrusted } from './untrusted-data.ts'

/** The prompt-injection guard: one detector, one policy per path. */
export interface InjectionGuard {
  readonly policy: InjectionPolicy
  /** The verdict for a text on a path, as a value; never throws. */
  inspect(path: GuardPath, text: string): InjectionVerdict
  /**
   * The text to hand the model: unchanged when allowed, wrapped as untrusted data when flagged.
   * Throws `InjectionBlockedError` when blocked. Returns the verdict too, for events and badges.
   */
  enforce(path: GuardPath, text: string): { content: string; verdict: InjectionVerdict }
}

let shared: InjectionDetector | undefined

/**
 * The detector the app uses: the committed model and threshold (model-weights.ts). Built on
 * first use and kept for the isolate's life: it holds no secret, only the 256 KB weight table.
 */
export function defaultInjectionDetector(): InjectionDetector {
  shared ??= createInjectionDetector(createLinearModel(injectionModel), injectionThreshold)
  return shared
}

/** Builds the guard from a policy; the detector defaults to the committed one. */
export function createInjectionGuard(options: {
  policy: InjectionPolicy
  detector?: InjectionDetector
}): InjectionGuard {
  const { policy } = options
  const detector = () => options.detector ?? defaultInjectionDetector()
  const inspect = (path: GuardPath, text: string): InjectionVerdict => {
    const mode = policy[path]
    if (mode === 'off') return { verdict: 'allow', score: 0, reasons: [] }
    const result = detector().score(text)
    const verdict = !result.suspicious ? 'allow' : mode === 'block' ? 'block' : 'flag'
    return { verdict, score: result.score, reasons: result.reasons }
  }
  return {
    policy,
    inspect,
    enforce(path, text) {
      const verdict = inspect(path, text)
      switch (verdict.verdict) {
        case 'allow':
          return { content: text, verdict }
        case 'flag':
          return { content: wrapUntrusted(text, path, verdict.reasons), verdict }
        case 'block':
          throw new InjectionBlockedError(path, verdict)
        default:
          return verdict.verdict satisfies never
      }
    },
  }
}
