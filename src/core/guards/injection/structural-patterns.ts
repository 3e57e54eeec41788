import type { HidingSignals } from './normalise.ts'
import { medium, strong, weak } from './phrase-rules.ts'

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

/** Role and chat-template tokens anywhere, and forged system/assistant turns at line starts. */
export function findRoleTokens(text: string): PatternHit[] {
  const hits: PatternHit[] = []
  if (roleTokens.some((token) => text.includes(token)))
    hits.push({ reason: 'role-token', weight: strong })
  let lineStart = 0
  while (lineStart < text.length) {
    let end = text.indexOf('\n', lineStart)
    if (end < 0) end = text.length
    let i = lineStart
    // Markdown and quoting in front of the role (`> **system:**`), a bounded number of them.
    while (i < end && i < lineStart + 8 && ' #*>-_`'.includes(text[i] as string)) i++
    if (fakeTurns.some((turn) => text.startsWith(turn, i))) {
      hits.push({ reason: 'fake-turn', weight: medium })
      break
    }
    lineStart = end + 1
  }
  return hits
}

const minBase64Run = 100
const minHexRun = 128

// Character classes for the payload scan, by code unit below 128: bit 1 a base64 character,
// bit 2 a digit, bit 4 a hex digit. One table read per character.
const payloadClass = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  const digit = c >= 0x30 && c <= 0x39
  const letter = c >= 0x61 && c <= 0x7a
  const hex = digit || (c >= 0x61 && c <= 0x66)
  const base64 = letter || digit || c === 0x2b || c === 0x2f || c === 0x3d
  payloadClass[c] = (base64 ? 1 : 0) | (digit ? 2 : 0) | (hex ? 4 : 0)
}

/**
 * Long unbroken base64 or hex runs: a payload the model could be asked to decode and obey. A
 * hint only (weak): tool results carry hashes, tokens and data URLs for honest reasons.
 */
export function findEncodedPayload(text: string): PatternHit[] {
  let base64 = 0
  let hex = 0
  let letters = false
  let digits = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const kind = c < 128 ? (payloadClass[c] as number) : 0
    if (kind === 0) {
      base64 = 0
      hex = 0
      letters = false
      digits = false
      continue
    }
    base64++
    if (kind & 2) digits = true
    else letters = true
    hex = kind & 4 ? hex + 1 : 0
    if (hex >= minHexRun || (base64 >= minBase64Run && letters && digits)) {
      return [{ reason: 'encoded-payload', weight: weak }]
    }
  }
  return []
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
