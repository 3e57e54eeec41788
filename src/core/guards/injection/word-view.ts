import { CharBuffer, decodeUnits } from './char-buffer.ts'
import { squashedPhrases } from './phrase-rules.ts'
import { squashedAutomaton } from './squashed-matcher.ts'

// Character classes by code unit below 128, one table read per character serving both scans of
// the pass: the word view (word character, joiner) and the encoded-payload run (base64, digit,
// hex). Above 127 only word characters and the typographic apostrophe matter.
const wordChar = 1
const joiner = 2
const base64Char = 4
const digitChar = 8
const hexChar = 16
const asciiClass = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  const digit = c >= 0x30 && c <= 0x39
  const letter = c >= 0x61 && c <= 0x7a
  const hex = digit || (c >= 0x61 && c <= 0x66)
  const base64 = letter || digit || c === 0x2b || c === 0x2f || c === 0x3d
  // Separators an attacker puts inside a word to hide it (`ig-no-re`, `i.g.n.o.r.e`, `ig_nore`,
  // `ign*re`); between two word characters they are dropped. So are apostrophes (`don't`).
  const joins = c === 0x2d || c === 0x2e || c === 0x5f || c === 0x2a || c === 0x27
  asciiClass[c] =
    (letter || digit ? wordChar : 0) |
    (joins ? joiner : 0) |
    (base64 ? base64Char : 0) |
    (digit ? digitChar : 0) |
    (hex ? hexChar : 0)
}

const classOf = (c: number): number => {
  if (c < 128) return asciiClass[c] as number
  if ((c >= 0xc0 && c < 0x2000) || (c >= 0x3040 && c < 0xd800) || (c >= 0xf900 && c < 0xfe00))
    return wordChar
  return c === 0x2019 ? joiner : 0
}

/** An encoded payload is an unbroken base64 run with letters and digits, or a long hex run. */
const minBase64Run = 100
const minHexRun = 128

/**
 * What `scanWords` found. The object is reused by the next call: read it at once. The word view
 * stays in code units: decoding it to a string cost a quarter of the detector's allocation per
 * text, and on JavaScriptCore garbage, not work, is what makes a call slow now and then.
 */
export interface WordScan {
  /**
   * ` words `: the word view between two spaces as code units, from 0 to `wordsLength + 2`,
   * the form the model hashes (features.ts) and the phrases match (phrase-matcher.ts). A shared
   * buffer, valid until the next scan.
   */
  padded: Uint16Array
  /** The length of the word view, the spaces around it left out. */
  wordsLength: number
  /** A long base64 or hex run was seen (see structural-patterns.ts). */
  encodedPayload: boolean
  /** The words' letters, spaces left out, hold one of `squashedPhrases` (phrase-rules.ts). */
  squashedPhrase: boolean
}

const out = new CharBuffer()
const result: WordScan = {
  padded: new Uint16Array(2),
  wordsLength: 0,
  encodedPayload: false,
  squashedPhrase: false,
}
const squashed = squashedAutomaton(squashedPhrases)

/**
 * The words of a normalised text, read from its code units in place: letters and digits only,
 * one space between words. Joiners inside a word are dropped, and a run of three or more
 * single-character words is joined (`i g n o r e` -> `ignore`). Punctuation, symbols, emoji and
 * layout become word breaks, which also drops the formatting habits that tell one source of text
 * from another. The same pass looks for encoded payloads: a separate scan of the text cost
 * about as much again as this one, for a counter or two per character.
 */
export function scanWords(units: Uint16Array, length: number): WordScan {
  // Written between two spaces, the form the model reads, so it needs no copy of its own.
  out.reset(length + 2)
  // The output array and length live in locals while the loop runs: a field update per
  // character cost more than the copy itself.
  const words = out.units
  words[0] = 0x20
  let written = 1
  let pendingBreak = false
  // Whether three one-character words came in a row (`x y z`), so joinSpelledOut has work.
  let wordLength = 0
  let singles = 0
  let singleRun = false
  // Only the length of each base64 run is counted per character; a run long enough to be a
  // payload is then read again for its letters, digits and hex (rare, and bounded by the run).
  let run = 0
  let payload = false
  // The spelled-out-phrase automaton (squashed-matcher.ts) steps on each word character as it
  // is written: the word view's letters in order are what it reads once spaces are dropped, and
  // a pass of its own over the word view cost a tenth of the detector.
  const { next, final } = squashed
  let state = 0
  let found = 0
  for (let i = 0; i < length; i++) {
    const c = units[i] as number
    const kind = classOf(c)
    if ((kind & base64Char) !== 0) run++
    else {
      if (run >= minBase64Run && !payload) payload = isPayload(units, i - run, i)
      run = 0
    }
    if (kind & wordChar) {
      if (pendingBreak && written > 1) {
        singles = wordLength === 1 ? singles + 1 : 0
        if (singles >= 3) singleRun = true
        wordLength = 0
        words[written++] = 0x20
      }
      pendingBreak = false
      wordLength++
      words[written++] = c
      const letter = c - 0x61
      state = letter >= 0 && letter < 26 ? (next[state * 26 + letter] as number) : 0
      found |= final[state] as number
      continue
    }
    if (
      kind & joiner &&
      !pendingBreak &&
      written > 1 &&
      i + 1 < length &&
      classOf(units[i + 1] as number) & wordChar &&
      classOf(units[i - 1] as number) & wordChar
    ) {
      continue
    }
    pendingBreak = true
  }
  if (run >= minBase64Run && !payload) payload = isPayload(units, length - run, length)
  if (wordLength === 1 && singles + 1 >= 3) singleRun = true
  words[written] = 0x20
  out.length = written + 1
  if (singleRun) {
    joinSpelledOut(words, written)
    result.padded = joined.units
    result.wordsLength = joined.length - 2
  } else {
    result.padded = words
    result.wordsLength = written - 1
  }
  result.encodedPayload = payload
  result.squashedPhrase = found === 1
  return result
}

// Whether a run of base64 characters holds a payload: at some point `minBase64Run` characters
// with both letters and digits among them, or `minHexRun` hex digits in a row.
function isPayload(units: Uint16Array, from: number, to: number): boolean {
  let hex = 0
  let letters = false
  let digits = false
  for (let i = from; i < to; i++) {
    const kind = asciiClass[units[i] as number] as number
    if (kind & digitChar) digits = true
    else letters = true
    hex = kind & hexChar ? hex + 1 : 0
    if (hex >= minHexRun || (i + 1 - from >= minBase64Run && letters && digits)) return true
  }
  return false
}

const input = new CharBuffer()

/** The word view of a normalised text given as a string (`scanWords` is the detector's path). */
export function wordView(text: string): string {
  input.assign(text)
  const { padded, wordsLength } = scanWords(input.units, input.length)
  return decodeUnits(padded, 1, wordsLength + 1)
}

const joined = new CharBuffer()

// `i g n o r e   a l l` -> `ignore all`? No: a run of single characters is one word, so the
// spelled-out sentence becomes `ignoreall`. The phrase patterns also accept such a joined run.
// One pass into a reused buffer, no token arrays: splitting a long run into one-letter strings
// made this part grow faster than its input (10x the text, 40x the time).
// Reads and writes the padded form: words from 1 to `end`, a space on either side.
function joinSpelledOut(words: Uint16Array, end: number): void {
  joined.reset(end + 1)
  joined.push(0x20)
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
  let tokenStart = 1
  for (let i = 1; i <= end; i++) {
    if (i < end && words[i] !== 0x20) continue
    if (i - tokenStart === 1) {
      if (runLength === 0 && joined.length > 1) joined.push(0x20)
      joined.push(words[tokenStart] as number)
      runLength++
    } else {
      endRun()
      if (joined.length > 1) joined.push(0x20)
      for (let at = tokenStart; at < i; at++) joined.push(words[at] as number)
    }
    tokenStart = i + 1
  }
  endRun()
  joined.push(0x20)
}
