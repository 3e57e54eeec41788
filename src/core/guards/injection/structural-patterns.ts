import { CharBuffer } from './char-buffer.ts'
import type { HidingSignals } from './normalise.ts'
import { medium, strong, weak } from './phrase-rules.ts'
import { scanWords } from './word-view.ts'

/** One pattern that fired: what to report, and the logit it adds. */
export interface PatternHit {
  reason: string
  weight: number
}

// Chat-template and role tokens of the common model families, as they read after lower-casing.
const roleTokens = [
  '<|im_start|>',
  '<|im_end|>',
  '<|system|>',
  '<|assistant|>',
  '<|user|>',
  '<|endoftext|>',
  '<|eot_id|>',
  '<|start_header_id|>',
  '<|begin_of_text|>',
  '[inst]',
  '[/inst]',
  '<<sys>>',
  '<</sys>>',
  '<start_of_turn>',
  '<end_of_turn>',
  '### instruction:',
  '### system:',
]

// A line that pretends to be a turn of the conversation. "user:" and "human:" are left out: a
// pasted transcript is ordinary input, a forged system or assistant turn is not.
const fakeTurns = [
  'system:',
  'assistant:',
  'developer:',
  'system message:',
  'system prompt:',
  '[system]',
  '(system)',
]

// Where the string forms below put a text to read it as code units.
const scratch = new CharBuffer()

// The tokens and turns as code units: they are looked for in the normaliser's buffer in place
// (normalise.ts), as decoding the text to a string to search it was a quarter of what the
// detector allocated per text, and on JavaScriptCore that garbage came back as collection
// pauses on random calls.
const roleTokenUnits = roleTokens.map(toUnits)
const fakeTurnUnits = fakeTurns.map(toUnits)
// The code units a role token starts with (`<`, `[`, `#`), each found with the typed array's
// native `indexOf`: a loop over every code unit in JavaScript cost V8 eight times what the
// string's `includes` did.
const roleTokenStarts = [...new Set(roleTokenUnits.map((token) => token[0] as number))]

function toUnits(text: string): Uint16Array {
  const units = new Uint16Array(text.length)
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i)
  return units
}

/** Role and chat-template tokens anywhere, and forged system/assistant turns at line starts. */
export function findRoleTokens(text: string): PatternHit[] {
  scratch.assign(text)
  return findRoleTokensIn(scratch.units, scratch.length)
}

/** `findRoleTokens` of a text in code units, from 0 to `length` (the normaliser's buffer). */
export function findRoleTokensIn(units: Uint16Array, length: number): PatternHit[] {
  // A view of the text alone: the native searches must stop at its end, not the buffer's.
  const text = units.subarray(0, length)
  const hits: PatternHit[] = []
  if (holdsRoleToken(text)) hits.push({ reason: 'role-token', weight: strong })
  let lineStart = 0
  while (lineStart < length) {
    let end = text.indexOf(0x0a, lineStart)
    if (end < 0) end = length
    let i = lineStart
    // Markdown and quoting in front of the role (`> **system:**`), a bounded number of them.
    while (i < end && i < lineStart + 8 && isRoleMarkup(text[i] as number)) i++
    if (startsWithAny(text, i, fakeTurnUnits)) {
      hits.push({ reason: 'fake-turn', weight: medium })
      break
    }
    lineStart = end + 1
  }
  return hits
}

// ` #*>-_` and the backtick.
const isRoleMarkup = (c: number) =>
  c === 0x20 || c === 0x23 || c === 0x2a || c === 0x3e || c === 0x2d || c === 0x5f || c === 0x60

function holdsRoleToken(text: Uint16Array): boolean {
  for (const start of roleTokenStarts) {
    for (let at = text.indexOf(start); at >= 0; at = text.indexOf(start, at + 1)) {
      if (startsWithAny(text, at, roleTokenUnits)) return true
    }
  }
  return false
}

function startsWithAny(text: Uint16Array, at: number, needles: readonly Uint16Array[]): boolean {
  for (const needle of needles) {
    if (at + needle.length > text.length) continue
    let i = 0
    while (i < needle.length && text[at + i] === needle[i]) i++
    if (i === needle.length) return true
  }
  return false
}

/**
 * Long unbroken base64 or hex runs: a payload the model could be asked to decode and obey. A
 * hint only (weak): tool results carry hashes, tokens and data URLs for honest reasons. The
 * detector has the run measured by the word view's pass over the normalised text (word-view.ts)
 * and calls `encodedPayloadHit`; this form takes a text on its own.
 */
export function findEncodedPayload(text: string): PatternHit[] {
  scratch.assign(text)
  return encodedPayloadHit(scanWords(scratch.units, scratch.length).encodedPayload)
}

/** The encoded-payload hit when a scan saw such a run. */
export function encodedPayloadHit(seen: boolean): PatternHit[] {
  return seen ? [{ reason: 'encoded-payload', weight: weak }] : []
}

/** Evidence of hiding left by normalisation: tag characters, invisible runs, bidi, mixed script. */
export function findHiding(signals: HidingSignals): PatternHit[] {
  const hits: PatternHit[] = []
  if (signals.tags > 0) hits.push({ reason: 'unicode-tags', weight: strong })
  if (signals.invisibleInWords >= 2 || signals.invisibleRun >= 4) {
    hits.push({ reason: 'invisible-unicode', weight: medium })
  }
  if (signals.bidi > 0) hits.push({ reason: 'bidi-control', weight: weak })
  if (signals.homoglyphs >= 2) hits.push({ reason: 'mixed-script', weight: medium })
  return hits
}
