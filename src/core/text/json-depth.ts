import { ValidationError } from '../errors.ts'

/** The deepest nesting accepted in any JSON a client sends (tool schemas included). */
export const MAX_JSON_DEPTH = 64

/**
 * Whether a parsed JSON value nests deeper than `limit`. Iterative, with an explicit stack,
 * so a value nested 100,000 deep is measured without recursion (and so without RangeError).
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number]
    if (item === null || typeof item !== 'object') continue
    if (depth + 1 > limit) return true
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
    }
  }
  return false
}

/**
 * Refuses JSON nested deeper than `MAX_JSON_DEPTH` with a 400 `json_too_deep`: everything
 * downstream (validation, `JSON.stringify`, providers) recurses, and real requests never
 * come close.
 */
export function requireShallowJson<T>(value: T, what: string): T {
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    throw new ValidationError(`The ${what} nests deeper than ${MAX_JSON_DEPTH} levels`, {
      code: 'json_too_deep',
    })
  }
  return value
}
