/**
 * A generator of UUIDv7 strings that sort (as text) in the order they were made, even within
 * one millisecond (a 12-bit counter) and if the clock steps back (the last time is reused).
 * Messages appended in one call thus keep their order when their timestamps are equal.
 */
export function createTimeOrderedId(now: () => number = Date.now): () => string {
  let lastMs = -1
  let counter = 0
  return () => {
    let ms = now()
    if (ms <= lastMs) {
      counter += 1
      ms = lastMs
      if (counter > 0xfff) {
        ms += 1
        counter = 0
      }
    } else {
      // Start low in the range so a burst within one millisecond rarely overflows it.
      counter = crypto.getRandomValues(new Uint16Array(1))[0]! & 0x3ff
    }
    lastMs = ms
    const random = crypto.getRandomValues(new Uint8Array(8))
    const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')
    const time = hex(ms, 12)
    const variant = hex(0x8000 | ((random[0]! & 0x3f) << 8) | random[1]!, 4)
    const tail = [...random.subarray(2)].map((b) => hex(b, 2)).join('')
    return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(counter, 3)}-${variant}-${tail}`
  }
}
