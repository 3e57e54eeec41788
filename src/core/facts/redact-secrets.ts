/** What a secret is replaced with; a fact that still holds one is not stored at all. */
export const redactedMarker = '[redacted]'

// Well-known key shapes, then anything introduced as a secret ("password is …", "token: …").
const keyShapes = [
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
]
const introduced =
  /\b(password|passcode|passphrase|pin|api[ _-]?key|secret|token|private key|access key)(\s*(?:is|was|=|:)\s*)(\S+?)(?=[.,;!?]?(?:\s|$))/gi
const cardLike = /\b\d(?:[ -]?\d){12,18}\b/g

/** Luhn's checksum, so a long order or phone number is not mistaken for a card. */
function passesLuhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/**
 * `text` with secrets replaced by `[redacted]`: API keys and tokens of known shapes, values
 * introduced as a password, PIN, key or token, and card numbers (13–19 digits passing Luhn).
 * Applied to the user's turns before the extraction model sees them, and to its answer.
 */
export function redactSecrets(text: string): string {
  let out = text
  for (const shape of keyShapes) out = out.replace(shape, redactedMarker)
  out = out.replace(
    introduced,
    (_all, name: string, joint: string) => `${name}${joint}${redactedMarker}`,
  )
  out = out.replace(cardLike, (match) =>
    passesLuhn(match.replace(/\D/g, '')) ? redactedMarker : match,
  )
  return out
}

/** Whether `text` held a secret (after `redactSecrets`, it shows the marker). */
export function holdsSecret(text: string): boolean {
  return redactSecrets(text).includes(redactedMarker)
}
