// Decoding the buffer in one native call is several times faster than String.fromCharCode over
// chunks. Typed arrays use the platform's byte order, little-endian on every runtime we target;
// the normaliser never writes a lone surrogate, so the decoder never has one to replace.
const utf16 = (() => {
  try {
    return new TextDecoder('utf-16le', { ignoreBOM: true })
  } catch {
    return undefined
  }
})()

/**
 * A growable buffer of UTF-16 code units, reused between calls: building a string one
 * character at a time with `+=` costs several times more than filling an array and decoding
 * it once. Single-threaded use only (each scan finishes before the next starts).
 */
export class CharBuffer {
  /** The code units, valid up to `length`; a scan may read them in place (replaced on growth). */
  units = new Uint16Array(4096)
  length = 0

  /** Empties the buffer, making room for at least `capacity` code units. */
  reset(capacity: number): void {
    if (this.units.length < capacity) this.units = new Uint16Array(capacity)
    this.length = 0
  }

  /** Makes room for at least `capacity` code units, keeping the contents. */
  grow(capacity: number): void {
    if (this.units.length >= capacity) return
    const units = new Uint16Array(Math.max(capacity, 2 * this.units.length))
    units.set(this.units.subarray(0, this.length))
    this.units = units
  }

  push(unit: number): void {
    this.units[this.length++] = unit
  }

  /** Removes and returns the last code unit (the buffer must not be empty). */
  pop(): number {
    return this.units[--this.length] as number
  }

  /** The code unit at `index` from the end (1 = the last one), or 0 when there is none. */
  last(index = 1): number {
    return this.length >= index ? (this.units[this.length - index] as number) : 0
  }

  /** Replaces the contents with `text`'s code units. */
  assign(text: string): void {
    this.reset(text.length)
    for (let i = 0; i < text.length; i++) this.units[i] = text.charCodeAt(i)
    this.length = text.length
  }

  toString(): string {
    return this.decode(0, this.length)
  }

  /** The code units from `from` up to `to` as a string. */
  decode(from: number, to: number): string {
    return decodeUnits(this.units, from, to)
  }
}

/** UTF-16 code units from `from` up to `to` as a string, in one native call where there is one. */
export function decodeUnits(units: Uint16Array, from: number, to: number): string {
  if (utf16) return utf16.decode(units.subarray(from, to))
  let out = ''
  for (let at = from; at < to; at += 8192) {
    const end = Math.min(to, at + 8192)
    out += String.fromCharCode.apply(null, units.subarray(at, end) as unknown as number[])
  }
  return out
}
