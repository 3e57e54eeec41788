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
  // Whether three one-character words came in a row (`x y z`), so joinSpelledOut has work.
  let wordLength = 0
  let singles = 0
  let singleRun = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (isWordChar(c)) {
      if (pendingBreak && out.length > 0) {
        singles = wordLength === 1 ? singles + 1 : 0
        if (singles >= 3) singleRun = true
        wordLength = 0
        out.push(0x20)
      }
      pendingBreak = false
      wordLength++
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
  if (wordLength === 1 && singles + 1 >= 3) singleRun = true
  return singleRun ? joinSpelledOut(out.toString()) : out.toString()
}

const joined = new CharBuffer()

// `i g n o r e   a l l` -> `ignore all`? No: a run of single characters is one word, so the
// spelled-out sentence becomes `ignoreall`. The phrase patterns also accept such a joined run.
// One pass into a reused buffer, no token arrays: splitting a long run into one-letter strings
// made this part grow faster than its input (10x the text, 40x the time).
function joinSpelledOut(words: string): string {
  joined.reset(words.length)
  let runLength = 0
  const endRun = () => {
    // A run of two is two words after all: put back the space between them.
    if (runLength === 2) {
      const second = joined.pop()
      joined.push(0x20)
      joined.push(second)
    }
    runLength = 0
  }
  let tokenStart = 0
  for (let i = 0; i <= words.length; i++) {
    if (i < words.length && words.charCodeAt(i) !== 0x20) continue
    if (i - tokenStart === 1) {
      if (runLength === 0 && joined.length > 0) joined.push(0x20)
      joined.push(words.charCodeAt(tokenStart))
      runLength++
    } else {
      endRun()
      if (joined.length > 0) joined.push(0x20)
      for (let at = tokenStart; at < i; at++) joined.push(words.charCodeAt(at))
    }
    tokenStart = i + 1
  }
  endRun()
  return joined.toString()
}
