import { ValidationError } from '../errors.ts'

/**
 * A position in a list ordered by (timestamp, id): the last item a page returned. Encoding
 * both keeps pagination free of gaps and repeats when many items share a timestamp.
 */
export interface HistoryCursor {
  at: number
  id: string
}

/** Opaque, URL-safe text for a cursor; `kind` stops a cursor of one list being used on another. */
export function encodeCursor(kind: string, cursor: HistoryCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([kind, cursor.at, cursor.id]))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

/** Decodes a cursor of `kind`; anything else is a `ValidationError` (`invalid_cursor`). */
export function decodeCursor(kind: string, text: string): HistoryCursor {
  try {
    const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'))
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      value[0] === kind &&
      Number.isSafeInteger(value[1]) &&
      typeof value[2] === 'string'
    ) {
      return { at: value[1], id: value[2] }
    }
  } catch {
    // Falls through to the same error as a well-formed but foreign cursor.
  }
  throw new ValidationError('The page cursor is not valid for this list', {
    code: 'invalid_cursor',
  })
}
