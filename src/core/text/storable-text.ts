/**
 * Text that every store accepts: PostgreSQL `text` and `jsonb` reject U+0000, and `jsonb`
 * rejects lone surrogates (half of a UTF-16 pair), so model output is cleaned with these
 * before it is written. Both are single linear passes.
 */

/** Replaces each lone surrogate with U+FFFD; pairs are kept. `toWellFormed` where it exists. */
export function wellFormed(text: string): string {
  const native = (text as { toWellFormed?: () => string }).toWellFormed
  if (typeof native === 'function') return native.call(text)
  let out = ''
  let from = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0xd800 || unit > 0xdfff) continue
    const next = text.charCodeAt(i + 1)
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++
      continue
    }
    out += `${text.slice(from, i)}\ufffd`
    from = i + 1
  }
  return from === 0 ? text : out + text.slice(from)
}

/** True when the text holds a lone surrogate. */
export function hasLoneSurrogate(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed
  if (typeof native === 'function') return !native.call(text)
  return wellFormed(text) !== text
}

/** The text without U+0000 and with lone surrogates replaced: safe for every store. */
export function storableText(text: string): string {
  return wellFormed(text.includes('\u0000') ? text.replaceAll('\u0000', '') : text)
}

/**
 * `storableText` applied to every string (keys too) of a JSON-like value; nesting deeper than
 * `maxDepth` is cut to null, since nothing deeper was accepted at the edge either.
 */
export function storableJson(value: unknown, maxDepth = 64): unknown {
  if (typeof value === 'string') return storableText(value)
  if (value === null || typeof value !== 'object') return value
  if (maxDepth <= 0) return null
  if (Array.isArray(value)) return value.map((item) => storableJson(item, maxDepth - 1))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    out[storableText(key)] = storableJson(item, maxDepth - 1)
  }
  return out
}
