import { boundedSlice } from './bounded-slice.ts'
import { CharBuffer, decodeUnits } from './char-buffer.ts'
import { homoglyphs } from './homoglyphs.ts'
import { nfkcLowerInto } from './nfkc-lower.ts'
import { scanWords } from './word-view.ts'

/** What normalisation removed or undid: evidence of hiding, used by the patterns. */
export interface HidingSignals {
  /** Zero-width and other invisible characters dropped (emoji joiners included). */
  invisible: number
  /** Invisible characters dropped from between two Latin letters (`ig\u200Bnore`). */
  invisibleInWords: number
  /** Longest run of consecutive invisible characters. */
  invisibleRun: number
  /** Unicode tag characters (U+E0000 block) decoded to ASCII, outside flag emoji. */
  tags: number
  /** Bidi overrides and isolates (U+202A-202E, U+2066-2069) dropped. */
  bidi: number
  /** Cyrillic or Greek look-alikes mapped to Latin next to a Latin letter. */
  homoglyphs: number
}

/**
 * A text in the forms the patterns and the model read, as code units in buffers shared by every
 * call (valid until the next text is normalised). The detector reads them in place: decoding
 * the two views to strings was half of what a call allocated, and on JavaScriptCore the garbage
 * collections that allocation brings land on random calls as millisecond pauses.
 */
export interface NormalisedUnits {
  /**
   * NFKC, lower case, invisible and bidi controls dropped, tag characters decoded, look-alikes
   * mapped to Latin, control characters and whitespace runs collapsed to one space (line breaks
   * kept as one `\n`), as code units from 0 to `textLength`. Punctuation stays: role tokens are
   * made of it.
   */
  textUnits: Uint16Array
  textLength: number
  /**
   * The word view (letters and digits only, one space between words, spacing tricks undone:
   * word-view.ts) between two spaces, ` words `, as code units from 0 to `wordsLength + 2`: the
   * form the model hashes (features.ts) and the phrases match (phrase-matcher.ts).
   */
  paddedWords: Uint16Array
  /** The length of the word view, the spaces around it left out. */
  wordsLength: number
  /** A long base64 or hex run in the text, found by the word view's pass (word-view.ts). */
  encodedPayload: boolean
  /** A spelled-out override phrase in the word view, found by the same pass (word-view.ts). */
  squashedPhrase: boolean
  signals: HidingSignals
}

/** `NormalisedUnits` with the text and the word view decoded, for tools and tests. */
export interface NormalisedText extends NormalisedUnits {
  text: string
  words: string
}

const isInvisible = (c: number) =>
  c === 0x00ad ||
  c === 0x034f ||
  c === 0x180e ||
  (c >= 0x200b && c <= 0x200d) ||
  (c >= 0x2060 && c <= 0x2064) ||
  c === 0xfeff ||
  (c >= 0xfe00 && c <= 0xfe0f) ||
  c === 0x115f ||
  c === 0x1160 ||
  c === 0x3164 ||
  c === 0xffa0
const isBidiControl = (c: number) => (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
const isBidiMark = (c: number) => c === 0x200e || c === 0x200f || c === 0x061c
const isLatin = (c: number) => c >= 0x61 && c <= 0x7a
const isLineBreak = (c: number) => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029
const isSpace = (c: number) =>
  c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)

/** `normaliseInPlace` with the text and the word view as strings, and signals of its own. */
export function normalise(input: string): NormalisedText {
  const normalised = normaliseInPlace(input)
  return {
    ...normalised,
    signals: { ...normalised.signals },
    text: decodeUnits(normalised.textUnits, 0, normalised.textLength),
    words: decodeUnits(normalised.paddedWords, 1, normalised.wordsLength + 1),
  }
}

const folded = new CharBuffer()
const out = new CharBuffer()
const signals: HidingSignals = {
  invisible: 0,
  invisibleInWords: 0,
  invisibleRun: 0,
  tags: 0,
  bidi: 0,
  homoglyphs: 0,
}
const result: NormalisedUnits = {
  textUnits: out.units,
  textLength: 0,
  paddedWords: out.units,
  wordsLength: 0,
  encodedPayload: false,
  squashedPhrase: false,
  signals,
}

/**
 * Normalises the bounded slice of `input` (bounded-slice.ts) in one linear pass after NFKC and
 * lower-casing. Safe on any string: lone surrogates are dropped, NUL and other controls become
 * spaces. Tag characters are decoded rather than dropped, so an instruction smuggled in them
 * becomes visible to the patterns; tags after a black flag (subdivision flags, 🏴) are emoji.
 * The result and its buffers are reused by the next call: read them before normalising again.
 */
export function normaliseInPlace(input: string): NormalisedUnits {
  // NFKC and lower case into a reused buffer, not two new strings (nfkc-lower.ts).
  nfkcLowerInto(boundedSlice(input), folded)
  const n = folded.length
  // A zero past the end reads as "no next character" to the look-aheads below.
  folded.grow(n + 1)
  const source = folded.units
  source[n] = 0
  signals.invisible = 0
  signals.invisibleInWords = 0
  signals.invisibleRun = 0
  signals.tags = 0
  signals.bidi = 0
  signals.homoglyphs = 0
  out.reset(n + 1)
  // The buffer's array and length live in locals while the loop runs: a field update per
  // character cost more than the copy itself.
  const units = out.units
  let length = 0
  let last = 0x20 // the last character written, before mapping (a look-alike stays Cyrillic)
  let pending = 0 // 0 none, 0x20 space, 0x0a line break
  let run = 0
  let inFlag = false
  for (let i = 0; i < n; i++) {
    const c = source[i] as number
    // The common case first: printable ASCII is copied as is.
    if (c > 0x20 && c < 0x7f) {
      if (pending !== 0 && length > 0) units[length++] = pending
      pending = 0
      units[length++] = c
      last = c
      run = 0
      inFlag = false
      continue
    }
    // The next most common: a plain space (the general path below ends the same way).
    if (c === 0x20) {
      if (length > 0 && pending === 0) pending = 0x20
      run = 0
      inFlag = false
      continue
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = source[i + 1] as number
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) continue // lone half: drop
      i++
      const cp = (c - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000
      if (cp >= 0xe0000 && cp <= 0xe007f) {
        if (!inFlag && cp >= 0xe0020 && cp < 0xe007f) {
          signals.tags++
          const ascii = cp - 0xe0000
          const lower = ascii >= 0x41 && ascii <= 0x5a ? ascii + 0x20 : ascii
          if (pending !== 0 && length > 0) units[length++] = pending
          pending = 0
          units[length++] = lower
          last = lower
        }
        continue
      }
      if (cp >= 0xe0100 && cp <= 0xe01ef) {
        signals.invisible++
        continue
      }
      inFlag = cp === 0x1f3f4
      run = 0
      if (pending !== 0 && length > 0) units[length++] = pending
      pending = 0
      units[length++] = c
      units[length++] = next
      last = next
      continue
    }
    inFlag = false
    if (isInvisible(c)) {
      signals.invisible++
      run++
      if (run > signals.invisibleRun) signals.invisibleRun = run
      if (isLatin(last) && isLatin(nextVisible(source, n, i + 1))) signals.invisibleInWords++
      continue
    }
    run = 0
    if (isBidiControl(c)) {
      signals.bidi++
      continue
    }
    if (isBidiMark(c)) continue
    if (isLineBreak(c)) {
      if (length > 0) pending = 0x0a
      continue
    }
    if (isSpace(c)) {
      if (length > 0 && pending === 0) pending = 0x20
      continue
    }
    if (pending !== 0 && length > 0) units[length++] = pending
    pending = 0
    const latin = c >= 0x250 && c <= 0x52f ? homoglyphs.get(c) : undefined
    if (latin !== undefined) {
      if (isLatin(last) || isLatin(source[i + 1] as number)) signals.homoglyphs++
      units[length++] = latin.charCodeAt(0)
    } else units[length++] = c
    last = c
  }
  out.length = length
  const words = scanWords(out.units, length)
  result.textUnits = out.units
  result.textLength = length
  result.paddedWords = words.padded
  result.wordsLength = words.wordsLength
  result.encodedPayload = words.encodedPayload
  result.squashedPhrase = words.squashedPhrase
  return result
}

// The next character that is not invisible, so `i\u200B\u200Bg` counts as inside a word.
function nextVisible(units: Uint16Array, length: number, from: number): number {
  for (let i = from; i < length && i < from + 16; i++) {
    const c = units[i] as number
    if (!isInvisible(c)) return c
  }
  return 0
}
