import type { NormalisedUnits } from './normalise.ts'
import { matchPaddedPhrases } from './phrase-matcher.ts'
import { phraseRules, strong } from './phrase-rules.ts'
import {
  encodedPayloadHit,
  findHiding,
  findRoleTokensIn,
  type PatternHit,
} from './structural-patterns.ts'

/**
 * Every pattern that fires on a normalised text, each reason once, strongest weight kept.
 * Phrases are matched on the word view, structure (role tokens, turns, payloads) on the text,
 * both read in the normaliser's buffers (normalise.ts).
 */
export function findPatterns(normalised: NormalisedUnits): PatternHit[] {
  const hits: PatternHit[] = []
  const { paddedWords, wordsLength, textUnits, textLength } = normalised
  for (const rule of matchPaddedPhrases(paddedWords, wordsLength, phraseRules)) keep(hits, rule)
  for (const hit of findRoleTokensIn(textUnits, textLength)) keep(hits, hit)
  for (const hit of encodedPayloadHit(normalised.encodedPayload)) keep(hits, hit)
  for (const hit of findHiding(normalised.signals)) keep(hits, hit)
  if (normalised.squashedPhrase) {
    keep(hits, { reason: 'override-instructions', weight: strong })
  }
  return hits
}

// Adds a hit under its reason, first-seen order, the larger weight kept. A linear search: a
// text fires a handful of reasons, and a Map and spread arrays per text cost more than that.
function keep(hits: PatternHit[], hit: PatternHit) {
  for (const known of hits) {
    if (known.reason !== hit.reason) continue
    if (known.weight < hit.weight) known.weight = hit.weight
    return
  }
  hits.push({ reason: hit.reason, weight: hit.weight })
}
