import type { NormalisedText } from './normalise.ts'
import { matchPhrases } from './phrase-matcher.ts'
import { phraseRules, squashedPhrases, strong } from './phrase-rules.ts'
import { hasSquashedPhrase } from './squashed-matcher.ts'
import {
  encodedPayloadHit,
  findHiding,
  findRoleTokens,
  type PatternHit,
} from './structural-patterns.ts'

/**
 * Every pattern that fires on a normalised text, each reason once, strongest weight kept.
 * Phrases are matched on the word view, structure (role tokens, turns, payloads) on the text.
 */
export function findPatterns(normalised: NormalisedText): PatternHit[] {
  const hits: PatternHit[] = [
    ...matchPhrases(normalised.words, phraseRules),
    ...findRoleTokens(normalised.text),
    ...encodedPayloadHit(normalised.encodedPayload),
    ...findHiding(normalised.signals),
  ]
  if (hasSquashedPhrase(normalised.words, squashedPhrases)) {
    hits.push({ reason: 'override-instructions', weight: strong })
  }
  const byReason = new Map<string, PatternHit>()
  for (const hit of hits) {
    const known = byReason.get(hit.reason)
    if (!known || known.weight < hit.weight)
      byReason.set(hit.reason, { reason: hit.reason, weight: hit.weight })
  }
  return [...byReason.values()]
}
