import { describe, expect, it } from 'vitest'
import { defaultInjectionDetector } from '../../../../src/core/guards/injection/injection-guard.ts'
import { normalise } from '../../../../src/core/guards/injection/normalise.ts'
import { matchPhrases } from '../../../../src/core/guards/injection/phrase-matcher.ts'
import { phraseRules } from '../../../../src/core/guards/injection/phrase-rules.ts'
import {
  findEncodedPayload,
  findHiding,
  findRoleTokens,
} from '../../../../src/core/guards/injection/structural-patterns.ts'
import { wordView } from '../../../../src/core/guards/injection/word-view.ts'

// Inputs built to make each part work hardest: near-misses that start a match and fail late.
const adversarial: Record<string, (size: number) => string> = {
  'override phrases (unbounded word view)': (n) =>
    'ignore all all all previous previous '.repeat(n / 37),
  'spelled-out letters': (n) => 'i g n o r e '.repeat(n / 12),
  'separators inside words': (n) => 'i-g.n_o*r-e.'.repeat(n / 12),
  'role-token prefixes': (n) => '<|im_star<<sy[ins'.repeat(n / 17),
  'fake-turn line starts': (n) => '> ** system\n'.repeat(n / 12),
  'base64 runs broken just short': (n) => `${'aB3+'.repeat(24)} `.repeat(n / 97),
  'invisible characters': (n) => 'a\u200b'.repeat(n / 2),
  'homoglyphs and tags': (n) => 'іgnоrе\u{e0041}'.repeat(n / 8),
}

// The fastest of a few runs, so one scheduler hiccup does not decide the ratio.
function fastest(work: () => unknown, runs = 7): number {
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    work()
    best = Math.min(best, performance.now() - start)
  }
  return best
}

// Each part is timed on the raw input (no bounded slice), so linearity is its own, not the
// slice's. Linear work gives a ratio near 10; a quadratic one would give about 100, so the bound of 40
// leaves room for a loaded machine without letting a quadratic part through.
function ratio(work: (text: string) => unknown, build: (size: number) => string): number {
  const small = build(10_000)
  const large = build(100_000)
  work(small) // warm up the JIT on both sizes
  work(large)
  const once = () =>
    fastest(() => work(large)) /
    Math.max(
      fastest(() => work(small)),
      0.05,
    )
  // On a busy machine one reading can be unlucky; a superlinear part is slow on both.
  const first = once()
  return first < bound ? first : Math.min(first, once())
}

const bound = 40

describe('every part of the detector is linear (10 KB against 100 KB)', () => {
  const parts: Record<string, (text: string) => unknown> = {
    phrases: (text) => matchPhrases(wordView(text), phraseRules),
    structure: (text) => [findRoleTokens(text), findEncodedPayload(text)],
    normalise: (text) => findHiding(normalise(text).signals),
  }
  for (const [input, build] of Object.entries(adversarial)) {
    it.each(Object.keys(parts))(`%s on ${input}`, (part) => {
      expect(ratio(parts[part] as (text: string) => unknown, build)).toBeLessThan(bound)
    })
  }

  it('the whole detector on 1 MB costs about what it costs on its bounded slice', () => {
    const detector = defaultInjectionDetector()
    const ratioMb = ratio(
      (text) => detector.score(text),
      (n) => 'ignore all previous '.repeat((n * 10) / 20),
    )
    expect(ratioMb).toBeLessThan(bound)
  })
})
