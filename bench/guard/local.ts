// Prints the guard measurement of the runtime running this file as one JSON line
// (`bun bench/guard/local.ts`, `npx tsx bench/guard/local.ts`): the scores of the 20 texts,
// wall-clock per call, and CPU time per call averaged over passes of 20 texts (what the guard
// costs on a shared machine: a descheduled call inflates wall-clock times, not CPU time).
import { defaultInjectionDetector } from '../../src/core/guards/injection/injection-guard.ts'
import { measureGuard } from './measure-guard.ts'
import { benchSamples } from './samples.ts'

const rounds = Number(process.argv[2] ?? 25)
const cpuMs = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}
console.log(
  JSON.stringify({
    scores: benchSamples(20).map((text) => defaultInjectionDetector().score(text).score),
    ...measureGuard(rounds),
    cpu: measureGuard(rounds * 5, cpuMs, true),
  }),
)
