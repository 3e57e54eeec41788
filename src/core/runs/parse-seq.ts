/** The largest run-log seq a client may name; far beyond any run, within a safe integer. */
export const MAX_SEQ = 999_999_999_999

const decimal = /^[0-9]{1,12}$/

/**
 * The one reader of a run-log position sent by a client: `Last-Event-ID`, `?after=`, and the
 * WebSocket `after_seq`. Decimal digits only (`0x10`, `1e3`, `+5`, ` 7 ` inside are not
 * positions), or a non-negative integer number; `undefined` for anything else, which callers
 * treat as "from the start".
 */
export function parseSeq(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value <= MAX_SEQ ? value : undefined
  }
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  return decimal.test(text) ? Number(text) : undefined
}
