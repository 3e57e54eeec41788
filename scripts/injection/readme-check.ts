// Out-of-domain false positives: the committed detector on README chunks of installed packages
// (benign documents much like tool results, none of them in the training data).
//   npx tsx scripts/injection/readme-check.ts
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defaultInjectionDetector } from '../../src/core/guards/injection/injection-guard.ts'

const modules = join(import.meta.dirname, '..', '..', 'node_modules')
const chunkChars = 3000
const chunks: string[] = []
for (const name of readdirSync(modules)
  .filter((d) => !d.startsWith('.') && !d.startsWith('@'))
  .slice(0, 400)) {
  const path = join(modules, name, 'README.md')
  if (!existsSync(path)) continue
  const text = readFileSync(path, 'utf8')
  for (let at = 0; at < text.length && at < 20_000; at += chunkChars)
    chunks.push(text.slice(at, at + chunkChars))
}
const detector = defaultInjectionDetector()
const reasons = new Map<string, number>()
let flagged = 0
for (const chunk of chunks) {
  const result = detector.score(chunk)
  if (!result.suspicious) continue
  flagged++
  for (const reason of result.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
}
console.log(
  `${flagged} of ${chunks.length} README chunks flagged (${((100 * flagged) / chunks.length).toFixed(1)}%) at ${detector.threshold}:`,
  Object.fromEntries(reasons),
)
