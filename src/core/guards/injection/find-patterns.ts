import type { NormalisedText } from './normalise.ts'
import { matchPhrases } from './phrase-matcher.ts'
import { phraseRules, strong } from './phrase-rules.ts'
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
  const hits: PatternHit[] = []
  for (const rule of matchPhrases(normalised.words, phraseRules)) keep(hits, rule)
  for (const hit of findRoleTokens(normalised.text)) keep(hits, hit)
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
