import { StoreError } from '../errors.ts'

/**
 * Errors every `KvStore` implementation raises the same way, so callers can branch on `code`
 * whichever backend is configured: `kv_invalid_argument` for a call that can never succeed
 * (bad TTL, non-integer increment, a value JSON cannot carry) and `kv_wrong_type` for an
 * operation on a key holding the other kind (a counter that is not an integer, a list read
 * as a value). Neither is retryable.
 */
export function invalidKvArgument(message: string, cause?: unknown): StoreError {
  return new StoreError('kv', message, { retryable: false, code: 'kv_invalid_argument', cause })
}

/** The key holds a value of another kind than the operation needs. */
export function wrongKvType(key: string, cause?: unknown): StoreError {
  return new StoreError('kv', `Key ${JSON.stringify(key)} holds a value of another kind`, {
    retryable: false,
    code: 'kv_wrong_type',
    cause,
  })
}

/** Accepts a positive finite TTL and rounds it up to whole milliseconds. */
export function checkTtlMs(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw invalidKvArgument(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`)
  }
  return Math.ceil(ttlMs)
}

/** Accepts a safe integer increment. */
export function checkIncrementBy(by: number): number {
  if (!Number.isSafeInteger(by)) {
    throw invalidKvArgument(`increment must be a safe integer, got ${by}`)
  }
  return by
}

/** Accepts the integer list indices of `range` / `trim`. */
export function checkListIndices(start: number, stop: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(stop)) {
    throw invalidKvArgument(`list indices must be integers, got ${start} and ${stop}`)
  }
}
