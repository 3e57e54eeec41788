// Prints the guard measurement of the runtime running this file as one JSON line
// (`bun bench/guard/local.ts`, `npx tsx bench/guard/local.ts`): wall-clock per call, and CPU
// time per call averaged over passes of 20 texts (what the guard costs when the machine is
// shared, since a descheduled call inflates wall-clock times but not CPU time).
import { measureGuard } from './measure-guard.ts'

const rounds = Number(process.argv[2] ?? 25)
const cpuMs = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}
console.log(JSON.stringify({ ...measureGuard(rounds), cpu: measureGuard(rounds * 5, cpuMs, true) }))
