import { scanWindow } from '../text/scan-window.ts'
import type { ChatMessage } from './chat-model.ts'

/** What a request is about, as far as choosing a model goes. */
export type Intent = 'code' | 'vision' | 'reasoning' | 'writing' | 'chat'

/** How much work the answer looks like. */
export type Complexity = 'low' | 'medium' | 'high'

/** The heuristic verdict; `confidence` below about 0.5 means "ask someone smarter if you can". */
export interface IntentGuess {
  intent: Intent
  complexity: Complexity
  confidence: number
  /** Short names of the signals that decided, for the human-readable route reason. */
  signals: string[]
}

type Signal = [name: string, pattern: RegExp, weight: number]

const codeSignals: Signal[] = [
  [
    'code block',
    /```|=>|\(\)\s{0,8}[;{]|\bdef \w{1,64}\(|\bconst \w{1,64}\s{0,8}[:=]|;\s{0,8}\}|\b\w{1,64}\.\w{1,64}\(/,
    3,
  ],
  [
    'language',
    /\b(java|kotlin|python|javascript|typescript|rust|golang|c\+\+|c#|php|ruby|swift|scala|sql|bash|zsh|powershell|html|css)\b|\bin Go\b|\bC program/i,
    2,
  ],
  [
    'tooling',
    /\b(react|vue|svelte|angular|node(\.js)?|deno|bun|npm|pnpm|yarn|git|github|docker(file)?|kubernetes|kubectl|postgres(ql)?|mysql|sqlite|redis|drizzle|prisma|jest|vitest|webpack|vite|tsc|hono|express|cloudflare workers|flexbox|div|regex|cron|linux|api|endpoints?|json|http|asyncio|website|web app|frontend|backend|server|database|hash ?map|compiler)\b/i,
    2,
  ],
  [
    'error',
    /\b\w{0,64}(Error|Exception):|\b(stack trace|segfault|crashloopbackoff|exit(s|ed)? .{0,80}?code \d{1,6}|ERESOLVE|null pointer|undefined is not|cannot read propert)/i,
    2,
  ],
  [
    'programming',
    /\b(refactor|implement\w*|compile[sd]?|unit tests?|functions?|class|variables?|loop|arrays?|pointers?|closures?|async|lifetime|time complexity|algorithm|quer(y|ies)|migration|script|middleware|pull request|diff|repo|deploy|debug|bug|mock|struct|O\(\w{1,16}\)|seq scan|commit|container|pod)\b/i,
    1.5,
  ],
  [
    'identifier',
    /\b[a-z]{1,32}[A-Z]\w{0,64}|\b\w{1,64}_\w{1,64}\(|\.(tsx?|jsx?|py|rs|go|java|sql|sh)\b/,
    1,
  ],
]

const reasoningSignals: Signal[] = [
  ['proof', /\b(prove|proof|derive|solve for|theorem|syllogism|counterexample)\b/i, 2.5],
  [
    'step by step',
    /\b(step by step|walk me through|think through|explain (your|the) reasoning|reasoning|show(ing)? your (work|assumptions))\b/i,
    2,
  ],
  [
    'trade-offs',
    /\b(trade-?offs?|pros and cons|for and against|argue|critique|weigh|implications|second-order|nuanced|in depth|competing theories|frameworks?)\b/i,
    2,
  ],
  [
    'analysis',
    /\b(analy[sz]e|evaluate|assess\w*|compared?|estimate|prioriti[sz]e|strategy|decid\w*|approach|worth the risk|probability|expected value|ethical|rational|causes?|caused)\b/i,
    2,
  ],
  ['hypothetical', /\bwhat would happen\b|\bwhat could go wrong\b|\bif all\b.{0,200}?\bsome\b/i, 2],
  ['why', /^\s{0,64}why\b|\bexplain (why|how)\b/i, 1],
  ['should', /\bshould (we|our|i)\b|\bconsider(ing)?\b/i, 1],
]

const writingSignals: Signal[] = [
  [
    'writing verb',
    /\b(write|draft|compose|rewrite|proofread|paraphrase|summari[sz]e|shorten|translate|reword|polish|word (a|the|my) \w{1,64}|write back)\b|\bmake (this|it) (sound|more|punchier|shorter)|\bturn (these|this|my) notes\b/i,
    2.5,
  ],
  [
    'genre',
    /\b(poem|haiku|limerick|story|essay|e-?mail|letter|toast|speech|blog post|tweet|linkedin post|slogans?|caption|product description|bio|lyrics|song|newsletter|card|note|scene|novel|paragraph|sentence|rhyme|apology|title|message|announcement|meeting minutes|prose|tagline|headline)\b/i,
    2,
  ],
]

// Compiled once, with the global flag `score` needs to see every distinct term.
const everyMatch = (signals: Signal[]): Signal[] =>
  signals.map(([name, pattern, weight]) => [
    name,
    new RegExp(pattern.source, `${pattern.flags}g`),
    weight,
  ])
const codePatterns = everyMatch(codeSignals)
const reasoningPatterns = everyMatch(reasoningSignals)
const writingPatterns = everyMatch(writingSignals)

const depthMarkers =
  /\b(detailed|in depth|comprehensive|thorough|step by step|\d{3,6}[- ]word|essay|nuanced)\b/i

/** The text of the last user message, and whether any user message carries an image. */
export function lastUserContent(messages: readonly ChatMessage[]): {
  text: string
  hasImage: boolean
} {
  const hasImage = messages.some(
    (m) =>
      m.role === 'user' &&
      typeof m.content !== 'string' &&
      m.content.some((p) => p.type === 'image'),
  )
  const user = [...messages].reverse().find((m) => m.role === 'user')
  if (!user) return { text: '', hasImage }
  const text =
    typeof user.content === 'string'
      ? user.content
      : user.content.map((p) => (p.type === 'text' ? p.text : '')).join(' ')
  return { text, hasImage }
}

/**
 * Guesses intent and complexity from the text with weighted patterns: cheap, local and
 * explainable. Images always mean `vision` (only a vision model can read them). A short
 * message with no strong signal is quick chat.
 */
export function guessIntent(fullText: string, hasImage: boolean): IntentGuess {
  // Every pattern below runs on a bounded slice, so a megabyte of input costs what 8 KB does.
  const text = scanWindow(fullText)
  const words = text.trim().split(/\s+/).filter(Boolean).length
  const numbers = text.match(/\d+(\.\d+)?/g)?.length ?? 0
  const deep = depthMarkers.test(text)
  const complexity: Complexity =
    words > 120 || (deep && words > 25)
      ? 'high'
      : words > 30 || deep || numbers >= 3
        ? 'medium'
        : 'low'
  if (hasImage) return { intent: 'vision', complexity, confidence: 1, signals: ['image attached'] }

  // Each signal counts once per distinct term it matches, at most twice: "pull request" plus
  // "diff" plus "bug" is stronger evidence than any one of them.
  const score = (signals: Signal[]) => {
    let total = 0
    const names: string[] = []
    for (const [name, pattern, weight] of signals) {
      const found = text.match(pattern) ?? []
      const distinct = new Set(found.map((m) => m.toLowerCase().trim())).size
      if (distinct === 0) continue
      total += weight * Math.min(distinct, 2)
      names.push(name)
    }
    return { total, names }
  }
  const scores = {
    code: score(codePatterns),
    reasoning: score(reasoningPatterns),
    writing: score(writingPatterns),
  }
  // A word problem: several numbers in a sentence or two that asks for a result.
  if (numbers >= 2 && words >= 15) {
    scores.reasoning.total += 2
    scores.reasoning.names.push('word problem')
  }
  const ranked = (
    Object.entries(scores) as Array<[Intent, { total: number; names: string[] }]>
  ).sort((a, b) => b[1].total - a[1].total)
  const [best, second] = ranked as [
    [Intent, { total: number; names: string[] }],
    [Intent, { total: number }],
  ]
  if (best[1].total < 2) {
    // A few words with no signal are small talk; a real sentence with none is a blind spot.
    const confidence = words <= 8 ? 0.85 : 0.45
    return { intent: 'chat', complexity, confidence, signals: ['no strong signal'] }
  }
  const margin = best[1].total - second[1].total
  const confidence = Math.min(1, 0.5 + margin / 6 + best[1].total / 20)
  return {
    intent: best[0],
    complexity,
    confidence: margin < 1 ? 0.45 : confidence,
    signals: best[1].names,
  }
}
