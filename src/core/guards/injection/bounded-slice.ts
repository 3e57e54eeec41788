/** Characters read from the start of a text. Beyond `headChars + tailChars`, the middle is skipped. */
export const headChars = 24_000
/** Characters read from the end of a long text: injections are often appended last. */
export const tailChars = 8_000

/**
 * The part of a text the guard reads: all of it up to 32 000 characters, else its first 24 000
 * and last 8 000 joined by a line break. Every later step is linear in this slice, so the
 * guard's cost has a fixed ceiling whatever the input size. A cut may split a surrogate pair;
 * the normaliser drops the lone half.
 */
export function boundedSlice(text: string): string {
  if (text.length <= headChars + tailChars) return text
  return `${text.slice(0, headChars)}\n${text.slice(text.length - tailChars)}`
}
