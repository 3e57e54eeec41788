import { CharBuffer } from './char-buffer.ts'

const out = new CharBuffer()

function isWordChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0xc0 && c < 0x2000) ||
    (c >= 0x3040 && c < 0xd800) ||
    (c >= 0xf900 && c < 0xfe00)
  )
}

// Separators an attacker puts inside a word to hide it (`ig-no-re`, `i.g.n.o.r.e`, `ig_nore`,
// `ign*re`); between two word characters they are dropped. So are apostrophes (`don't`).
function isJoiner(c: number): boolean {
  return c === 0x2d || c === 0x2e || c === 0x5f || c === 0x2a || c === 0x27 || c === 0x2019
}

/**
 * The words of a normalised text: letters and digits only, one space between words. Joiners
 * inside a word are dropped, and a run of three or more single-character words is joined
 * (`i g n o r e` -> `ignore`). Punctuation, symbols, emoji and layout become word breaks, which
 * also drops the formatting habits that tell one source of text from another.
 */
export function wordView(text: string): string {
  out.reset(text.length)
  let pendingBreak = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (isWordChar(c)) {
      if (pendingBreak && out.length > 0) out.push(0x20)
      pendingBreak = false
      out.push(c)
      continue
    }
    if (
      isJoiner(c) &&
      !pendingBreak &&
      out.length > 0 &&
      isWordChar(text.charCodeAt(i + 1)) &&
      isWordChar(text.charCodeAt(i - 1))
    ) {
      continue
    }
    pendingBreak = true
  }
  return joinSpelledOut(out.toString())
}

// `i g n o r e   a l l` -> `ignore all`? No: a run of single characters is one word, so the
// spelled-out sentence becomes `ignoreall`. The phrase patterns also accept such a joined run.
function joinSpelledOut(words: string): string {
  if (!hasSingleRun(words)) return words
  const tokens = words.split(' ')
  const out: string[] = []
  let run = ''
  let runLength = 0
  const flush = () => {
    if (runLength >= 3) out.push(run)
    else if (runLength > 0) out.push(...run.split(''))
    run = ''
    runLength = 0
  }
  for (const token of tokens) {
    if (token.length === 1) {
      run += token
      runLength++
    } else {
      flush()
      out.push(token)
    }
  }
  flush()
  return out.join(' ')
}

// Cheap pre-check: any three single-character words in a row (`x y z`).
function hasSingleRun(words: string): boolean {
  let singles = 0
  let length = 0
  for (let i = 0; i <= words.length; i++) {
    if (i === words.length || words.charCodeAt(i) === 0x20) {
      singles = length === 1 ? singles + 1 : 0
      if (singles >= 3) return true
      length = 0
    } else length++
  }
  return false
}
