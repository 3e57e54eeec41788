export type { InjectionDetector, InjectionScore } from './detector.ts'
export { createInjectionDetector } from './detector.ts'
export { InjectionBlockedError, injectionGuardName } from './injection-blocked-error.ts'
export type { InjectionGuard } from './injection-guard.ts'
export { createInjectionGuard, defaultInjectionDetector } from './injection-guard.ts'
export type {
  GuardPath,
  InjectionPolicy,
  InjectionVerdict,
  PathPolicy,
} from './injection-policy.ts'
export { guardPaths, injectionPolicyFrom, pathPolicies } from './injection-policy.ts'
export type { FlaggedInput, GuardedInput } from './inspect-inputs.ts'
export { inspectInputs } from './inspect-inputs.ts'
export type { ScreenedMemories } from './screen-memories.ts'
export { screenMemories } from './screen-memories.ts'
export { wrapUntrusted } from './untrusted-data.ts'
