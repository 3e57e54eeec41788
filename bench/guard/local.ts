// Prints the guard measurement of the runtime running this file as one JSON line
// (`bun bench/guard/local.ts`, `npx tsx bench/guard/local.ts`).
import { measureGuard } from './measure-guard.ts'

console.log(JSON.stringify(measureGuard(Number(process.argv[2] ?? 25))))
