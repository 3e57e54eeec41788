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

const scratch = new CharBuffer()

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
