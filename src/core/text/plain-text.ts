import { ValidationError } from '../errors.ts'
import { hasLoneSurrogate } from './storable-text.ts'

/**
 * Refuses user text that no store can keep: U+0000 and lone surrogates (half a UTF-16 pair,
 * which is not text at all). Refused, not cleaned: both come only from a buggy or hostile
 * client, and silently changing what someone wrote would be worse than saying no. The answer
 * is a 400 `text_invalid`, never a retryable 5xx from the store. Other control characters, a
 * BOM and every other code point are text and pass.
 */
export function requirePlainText(text: string, field: string): string {
  if (text.includes('\u0000') || hasLoneSurrogate(text)) {
    throw new ValidationError(
      `The ${field} contains U+0000 or an unpaired surrogate, which is not text`,
      { code: 'text_invalid' },
    )
  }
  return text
}

/** The first `max` UTF-16 units of `text`, never ending on half a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text
  const last = text.charCodeAt(max - 1)
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max)
}
