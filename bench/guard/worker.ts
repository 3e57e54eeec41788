// A tiny Worker that times the guard inside a workerd isolate (`npm run bench:guard` starts it
// with wrangler dev). GET /?rounds=N answers with the measurement as JSON.
import { defaultInjectionDetector } from '../../src/core/guards/injection/injection-guard.ts'
import { measureGuard } from './measure-guard.ts'
import { benchSamples } from './samples.ts'

export default {
  async fetch(request: Request): Promise<Response> {
    const rounds = Number(new URL(request.url).searchParams.get('rounds') ?? '25')
    // Whether the isolate's clock moves during synchronous work: deployed Workers freeze it
    // (it only advances on I/O), which would make every sample 0.
    const before = performance.now()
    let spin = 0
    for (let i = 0; i < 5_000_000; i++) spin += i % 7
    const clockMoves = performance.now() > before && spin > 0
    // workerd's clock moves in whole milliseconds: time passes of 100 calls (the 20 texts, 5
    // times), not single calls. A sample is then a mean over 100 calls: its p99 is the tail of
    // pass means, and hides single slow calls that Node's and Bun's per-call p99 show.
    // The scores themselves, so the bench can check every runtime computes the same ones.
    const scores = benchSamples(20).map((text) => defaultInjectionDetector().score(text).score)
    return Response.json({ clockMoves, scores, ...measureGuard(rounds, undefined, true, 5) })
  },
}
