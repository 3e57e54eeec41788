import { defaultInjectionDetector } from '../../src/core/guards/injection/injection-guard.ts'
import { benchSamples } from './samples.ts'

/** p50 and p99 of one operation, in milliseconds. */
export interface GuardTiming {
  p50: number
  p99: number
}

/** The detector and a plain normalisation pass (NFKC + lower case), timed on the same texts. */
export interface GuardBench {
  samples: number
  detector: GuardTiming
  baseline: GuardTiming
}

function timings(samples: number[]): GuardTiming {
  const sorted = [...samples].sort((a, b) => a - b)
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { p50: pick(0.5), p99: pick(0.99) }
}

const baselineRepeats = 30
const warmUpPasses = 10

/**
 * Times the app's detector on 10 KB texts, `rounds` passes over 20 texts after a warm-up, and a
 * baseline pass over the same texts. `now` is the runtime's clock, injected so a Worker can
 * pass its own. With `perPass`, one sample is a whole pass over the 20 texts, `repeats` times,
 * divided by the number of calls: for clocks too coarse to time one call (workerd's moves in
 * whole milliseconds; 5 repeats make a pass ~70 ms, so one tick is ~1.5% of it).
 */
export function measureGuard(
  rounds: number,
  now: () => number = () => performance.now(),
  perPass = false,
  repeats = 1,
): GuardBench {
  const texts = benchSamples(20)
  const detector = defaultInjectionDetector()
  let sink = 0
  // Warm-up: builds the tables, and lets each engine's JIT reach the tier a serving process
  // runs in (one pass left Bun's optimising compiler mid-way, and its p99 counted that).
  for (let pass = 0; pass < warmUpPasses; pass++) {
    for (const text of texts) sink += detector.score(text).score
  }
  const detectorTimes: number[] = []
  const baselineTimes: number[] = []
  if (perPass) {
    for (let round = 0; round < rounds; round++) {
      // The baseline is ~30x cheaper: 30 passes of it, so a whole-ms clock still sees it.
      let start = now()
      for (let repeat = 0; repeat < baselineRepeats; repeat++) {
        for (const text of texts) sink += text.normalize('NFKC').toLowerCase().length
      }
      baselineTimes.push((now() - start) / (texts.length * baselineRepeats))
      start = now()
      for (let repeat = 0; repeat < repeats; repeat++) {
        for (const text of texts) sink += detector.score(text).score
      }
      detectorTimes.push((now() - start) / (texts.length * repeats))
    }
  }
  // One call at a time: the detector's passes first, then the baseline's. Interleaved, the
  // baseline's two copies of each text (20-40 KB) were collected during the detector call
  // that followed, and its p99 counted collections of garbage it had not made.
  for (let round = 0; round < (perPass ? 0 : rounds); round++) {
    for (const text of texts) {
      const start = now()
      sink += detector.score(text).score
      detectorTimes.push(now() - start)
    }
  }
  for (let round = 0; round < (perPass ? 0 : rounds); round++) {
    for (const text of texts) {
      const start = now()
      sink += text.normalize('NFKC').toLowerCase().length
      baselineTimes.push(now() - start)
    }
  }
  if (sink === -1) console.log(sink) // keeps the work from being optimised away
  return {
    samples: detectorTimes.length,
    detector: timings(detectorTimes),
    baseline: timings(baselineTimes),
  }
}
