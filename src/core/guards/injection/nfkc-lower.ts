import type { CharBuffer } from './char-buffer.ts'

const capitalSigma = '\u03a3'
const maxGap = 32
const lowerAscii = new Uint16Array(128)
for (let c = 0; c < 128; c++) lowerAscii[c] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c

/**
 * Writes `text.normalize('NFKC').toLowerCase()` into `out` as code units, without the two copies
 * of the whole text those calls make: ASCII is copied with A-Z lower-cased, and only each run of
 * other characters goes through the engine's `normalize` and `toLowerCase`. The copies were most
 * of what a detector call allocated (20-40 KB per 10 KB text), and on JavaScriptCore that
 * garbage came back as collection pauses on random calls.
 *
 * Why the pieces give the same result as the whole: every ASCII character is a normalisation
 * boundary (NFKC leaves it alone, and it never composes with the character before it), so NFKC
 * of a text is NFKC of its pieces cut before any ASCII characters. A piece is a run of non-ASCII
 * characters with the ASCII character before it, which may compose with the run (`e` and U+0301
 * are `é`), and the runs that follow it closely. Lower case is a mapping per character except
 * for capital sigma, whose final form depends on letters beyond its piece: a text where a piece
 * normalises to one is done whole.
 */
export function nfkcLowerInto(text: string, out: CharBuffer): void {
  const n = text.length
  out.reset(n + 1)
  let units = out.units
  let length = 0
  let i = 0
  while (i < n) {
    // The ASCII up to the next other character, in a loop of its own (the hot one).
    let c = text.charCodeAt(i)
    while (c < 0x80) {
      units[length++] = lowerAscii[c] as number
      if (++i === n) break
      c = text.charCodeAt(i)
    }
    if (i === n) break
    let end = i + 1
    for (;;) {
      while (end < n && text.charCodeAt(end) >= 0x80) end++
      // A short ASCII gap before the next run goes into the same piece: each piece is a call
      // into the engine, and look-alikes come one letter at a time (`іgnоrе` is three runs).
      let gap = end
      while (gap < n && gap - end < maxGap && text.charCodeAt(gap) < 0x80) gap++
      if (gap === n || gap - end === maxGap) break
      end = gap + 1
    }
    const from = i > 0 ? i - 1 : i
    const normalised = text.slice(from, end).normalize('NFKC')
    if (normalised.includes(capitalSigma)) {
      out.assign(text.normalize('NFKC').toLowerCase())
      return
    }
    const piece = normalised.toLowerCase()
    // The ASCII character before the run is written again, as the piece has it.
    if (from < i) length--
    // NFKC may lengthen a run (U+FDFA is 18 characters): room for it and the rest of the text.
    if (length + piece.length + (n - end) + 1 > units.length) {
      out.length = length
      out.grow(length + piece.length + (n - end) + 1)
      units = out.units
    }
    for (let k = 0; k < piece.length; k++) units[length++] = piece.charCodeAt(k)
    i = end
  }
  out.length = length
}
