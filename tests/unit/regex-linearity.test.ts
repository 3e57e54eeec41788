import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// Every regular expression written in src/ runs on text someone else controls sooner or later,
// so each one is timed here against adversarial strings of growing size. The assertion is on
// growth, not on wall-clock speed: a linear pattern takes about 4 times as long on 4 times the
// input, a backtracking one 16 times. Sizes grow only while the pattern keeps up, so a
// regression fails in seconds instead of hanging for minutes on a megabyte.

const root = join(import.meta.dirname, '..', '..')
const src = join(root, 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : []
  })
}

interface Found {
  at: string
  pattern: RegExp
}

/** Every regular-expression literal in src/, found by the TypeScript parser (not by a regex). */
function regexLiterals(): Found[] {
  const found: Found[] = []
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8')
    const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind)
    const visit = (node: ts.Node) => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const literal = node.getText(source)
        const end = literal.lastIndexOf('/')
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
        found.push({
          at: `${relative(root, file)}:${line}`,
          pattern: new RegExp(literal.slice(1, end), literal.slice(end + 1)),
        })
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return found
}

const generic = [
  'a',
  ' ',
  '1',
  'a.',
  'a_',
  'aA',
  'A',
  '\n',
  '\r\n',
  '\t',
  '()',
  ';',
  '-',
  'é',
  '1.',
  '::',
  'a ',
  'a(',
  'exit ',
  'if all ',
  'def a',
  '0x',
  '=',
  '/',
  '\\',
  '"',
  "'",
  '%',
  '\u0000',
  '😀',
]

/** Seeds built from the pattern itself: its literal words, alone, spaced and chained. */
function seedsFor(pattern: RegExp): string[] {
  const words = pattern.source
    .replace(/\\[bBdDwWsSnrt]/g, ' ')
    .split(/[^A-Za-z0-9 '.:_-]+/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk.length >= 2)
  const unique = [...new Set(words)].slice(0, 40)
  const seeds = unique.flatMap((word) => [word, `${word} `, `${word}a`, `${word} 1`])
  for (let i = 0; i + 1 < unique.length; i++) seeds.push(`${unique[i]} ${unique[i + 1]} `)
  return [...generic, ...seeds]
}

function fill(seed: string, size: number): string {
  return seed.repeat(Math.ceil(size / seed.length)).slice(0, size)
}

// One search for the first match: a failing search tries every start position, which is where
// backtracking patterns go quadratic. Sticky patterns (tokenizers) keep their one position.
function timeOnce(first: RegExp, input: string): number {
  first.lastIndex = 0
  const started = performance.now()
  first.exec(input)
  return performance.now() - started
}

/** The fastest of a few runs, so a busy machine does not fail a linear pattern. A run already
 * over its size's budget is not repeated: it has said enough, and repeating it is what made
 * this test slow. */
function time(first: RegExp, input: string): number {
  let best = timeOnce(first, input)
  for (let i = 0; i < 2 && best > 5 && best < budgetMs(input.length); i++) {
    best = Math.min(best, timeOnce(first, input))
  }
  return best
}

const sizes = [16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024]
// Four times the input may take at most 10 times as long (linear is 4, quadratic 16); times
// under the floor are noise and never fail. The floor is high because a linear scan also grows
// faster than its input once the input outgrows the CPU's caches (the demo model's linear
// arithmetic pattern took 8-10 times as long on 1 MB as on 256 KB of any seed here, 47 ms under
// CI's load), while a backtracking pattern passes 100 ms well before 1 MB.
const growthLimit = 10
const floorMs = 100

// Besides growth, a budget per size: 2 µs a character, never under 100 ms. The slowest linear
// search in src/ costs about 110 ns a character on 64 KB here and under 50 ns on 1 MB under CI's
// load (20 times less than the budget), and a quadratic one blows it long before 1 MB. The budget is also what bounds this test's own time:
// growth alone let a quadratic pattern under load go on to a size where one search took 13 s,
// three times over, and the check timed out (landing CI, 2026-11-30).
function budgetMs(length: number): number {
  return Math.max(100, length / 500)
}

/** The first seed whose cost grows faster than linearly, with its timings; undefined if none. */
function superlinearSeed(pattern: RegExp): string | undefined {
  const first = new RegExp(pattern.source, pattern.flags.replace('g', ''))
  // V8 interprets a new pattern at first and compiles it once it is used: time compiled code.
  for (let i = 0; i < 3; i++) first.exec(fill('a 1', 4096))
  for (const seed of seedsFor(pattern)) {
    const overBudget = (took: number, size: number) =>
      took > budgetMs(size)
        ? `${JSON.stringify(seed)}: ${took.toFixed(0)} ms at ${size / 1024} KB, over its ${budgetMs(size).toFixed(0)} ms budget`
        : undefined
    let previous = time(first, fill(seed, sizes[0] ?? 0))
    const slowAtOnce = overBudget(previous, sizes[0] ?? 0)
    if (slowAtOnce) return slowAtOnce
    for (const [index, size] of sizes.slice(1).entries()) {
      let took = time(first, fill(seed, size))
      const slow = overBudget(took, size)
      if (slow) return slow
      // A busy machine (other test files, other work) makes single timings jumpy: only a
      // growth that shows again on a second measurement of both sizes counts.
      if (took > floorMs && took > previous * growthLimit) {
        previous = Math.min(previous, time(first, fill(seed, sizes[index] ?? 0)))
        took = Math.min(took, time(first, fill(seed, size)))
      }
      if (took > floorMs && took > previous * growthLimit) {
        return `${JSON.stringify(seed)}: ${previous.toFixed(1)} ms then ${took.toFixed(1)} ms at ${size / 1024} KB`
      }
      previous = took
    }
  }
  return undefined
}

describe('regular expressions in src/', () => {
  const literals = regexLiterals()

  it('finds them (the parser sees the literals)', () => {
    expect(literals.length).toBeGreaterThan(40)
  })

  it('stay linear on 1 MB adversarial strings', { timeout: 240_000 }, () => {
    const offenders = literals.flatMap(({ at, pattern }) => {
      const verdict = superlinearSeed(pattern)
      return verdict ? [`${at} ${pattern}: ${verdict}`] : []
    })
    expect(offenders).toEqual([])
  })

  it('catches a quadratic pattern (the check itself works)', { timeout: 60_000 }, () => {
    for (const quadratic of [/\w+\.\w+\(/, /exit(s|ed)? .*code \d+/]) {
      const verdict = superlinearSeed(quadratic)
      console.log(`[regex-linearity] ${quadratic}: ${verdict}`)
      expect(verdict).toBeDefined()
    }
  })
})
