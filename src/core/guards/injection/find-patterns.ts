import type { NormalisedText } from './normalise.ts'
import { matchPhrases } from './phrase-matcher.ts'
import { phraseRules, squashedPhrases, strong } from './phrase-rules.ts'
import {
  findEncodedPayload,
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
    ...findEncodedPayload(normalised.text),
    ...findHiding(normalised.signals),
  ]
  if (hasSquashedPhrase(normalised.words.replaceAll(' ', ''))) {
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

// The squashed phrases grouped by their first six letters: one scan per group, not per phrase.
const byAnchor = new Map<string, string[]>()
for (const phrase of squashedPhrases) {
  const anchor = phrase.slice(0, 6)
  byAnchor.set(anchor, [...(byAnchor.get(anchor) ?? []), phrase])
}

function hasSquashedPhrase(squashed: string): boolean {
  for (const [anchor, phrases] of byAnchor) {
    for (let at = squashed.indexOf(anchor); at >= 0; at = squashed.indexOf(anchor, at + 1)) {
      if (phrases.some((phrase) => squashed.startsWith(phrase, at))) return true
    }
  }
  return false
}
