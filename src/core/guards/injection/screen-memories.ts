import type { InjectionGuard } from './injection-guard.ts'
import type { InjectionVerdict } from './injection-policy.ts'
import { wrapUntrusted } from './untrusted-data.ts'

/** Recalled memories after the guard: the ones to use, and what it said about each input. */
export interface ScreenedMemories {
  memories: string[]
  verdicts: InjectionVerdict[]
}

/**
 * Runs the guard's `recalled-memory` policy over recalled memories. `block` leaves a memory out
 * (the turn goes on: a memory is optional context, and refusing the user's turn for a text
 * they cannot see would help nobody); `flag` keeps it wrapped as untrusted data.
 */
export function screenMemories(
  guard: InjectionGuard,
  memories: readonly string[],
): ScreenedMemories {
  const kept: string[] = []
  const verdicts: InjectionVerdict[] = []
  for (const memory of memories) {
    const verdict = guard.inspect('recalled-memory', memory)
    verdicts.push(verdict)
    if (verdict.verdict === 'allow') kept.push(memory)
    else if (verdict.verdict === 'flag')
      kept.push(wrapUntrusted(memory, 'recalled-memory', verdict.reasons))
  }
  return { memories: kept, verdicts }
}
