/** How many UTF-16 units of a text any heuristic scanner looks at (half head, half tail). */
export const SCAN_WINDOW_CHARS = 8192

/**
 * The part of an untrusted text that heuristics (the intent router, the demo model, any future
 * scanner) may look at: the whole text when it is short, else its head and its tail joined by
 * a newline. Scanning a bounded slice keeps the cost of every pattern constant per request,
 * however long the message; the head and the tail carry the question in practice.
 */
export function scanWindow(text: string, limit = SCAN_WINDOW_CHARS): string {
  if (text.length <= limit) return text
  const half = Math.floor(limit / 2)
  return `${text.slice(0, half)}\n${text.slice(text.length - half)}`
}
