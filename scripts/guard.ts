// The prompt-injection guard on your own data, with exactly the app's detector and threshold:
//   npm run guard -- score [--path user-input|tool-result|recalled-memory] < in.jsonl > out.jsonl
// Each input line is a JSON object with a `text` field; it is written back with `score`,
// `verdict` and `reasons` added. The verdict follows the path's policy from the environment
// (INJECTION_GUARD_*, defaults as in the README); a line that cannot be read gets an `error`.
import { createInterface } from 'node:readline'
import { parseConfig } from '../src/core/config.ts'
import { createInjectionGuard } from '../src/core/guards/injection/injection-guard.ts'
import {
  type GuardPath,
  guardPaths,
  injectionPolicyFrom,
} from '../src/core/guards/injection/injection-policy.ts'

/** Scores one JSON line; the line back with the guard's fields, or with an `error`. */
export function scoreLine(
  line: string,
  inspect: (text: string) => { score: number; verdict: string; reasons: string[] },
): string {
  let row: unknown
  try {
    row = JSON.parse(line)
  } catch {
    return JSON.stringify({ error: 'not a JSON line' })
  }
  if (
    typeof row !== 'object' ||
    row === null ||
    typeof (row as { text?: unknown }).text !== 'string'
  ) {
    return JSON.stringify({
      ...(typeof row === 'object' && row !== null ? row : {}),
      error: 'no text field',
    })
  }
  const verdict = inspect((row as { text: string }).text)
  return JSON.stringify({
    ...row,
    score: Number(verdict.score.toFixed(4)),
    verdict: verdict.verdict,
    reasons: verdict.reasons,
  })
}

async function main(args: string[]) {
  if (args[0] !== 'score') {
    console.error(
      'usage: npm run guard -- score [--path user-input|tool-result|recalled-memory] < lines.jsonl',
    )
    process.exit(2)
  }
  const pathArg = args.indexOf('--path')
  const path = (pathArg > 0 ? args[pathArg + 1] : 'user-input') as GuardPath
  if (!guardPaths.includes(path)) {
    console.error(`--path must be one of ${guardPaths.join(', ')}`)
    process.exit(2)
  }
  const policy = injectionPolicyFrom(parseConfig(process.env))
  // A path switched off would score nothing; here the point is to see the scores.
  const guard = createInjectionGuard({
    policy: { ...policy, [path]: policy[path] === 'off' ? 'flag' : policy[path] },
  })
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })
  for await (const line of lines) {
    if (line.trim() === '') continue
    process.stdout.write(`${scoreLine(line, (text) => guard.inspect(path, text))}\n`)
  }
}

if (process.argv[1]?.endsWith('guard.ts')) await main(process.argv.slice(2))
