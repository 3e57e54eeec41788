// A tiny Worker that times the guard inside a workerd isolate (`npm run bench:guard` starts it
// with wrangler dev). GET /?rounds=N answers with the measurement as JSON.
import { measureGuard } from './measure-guard.ts'

export default {
  async fetch(request: Request): Promise<Response> {
    const rounds = Number(new URL(request.url).searchParams.get('rounds') ?? '25')
    // Whether the isolate's clock moves during synchronous work: deployed Workers freeze it
    // (it only advances on I/O), which would make every sample 0.
    const before = performance.now()
    let spin = 0
    for (let i = 0; i < 5_000_000; i++) spin += i % 7
    const clockMoves = performance.now() > before && spin > 0
    // workerd's clock moves in whole milliseconds: time passes of 20 texts, not single calls.
    return Response.json({ clockMoves, ...measureGuard(rounds * 5, undefined, true) })
  },
}
