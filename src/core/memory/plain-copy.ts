/**
 * A deep copy of plain data (primitives, arrays, plain objects) by hand, with
 * `structuredClone` for anything else. The embedded KV store copies every value in and out
 * (run-log events, cache entries) several times per request; `structuredClone` serialises
 * each small object through the engine's clone machinery and was 5-8% of a request's CPU
 * in one runtime's profile. Throws what `structuredClone` throws for data it cannot copy (functions, symbols).
 */
export function plainCopy<T>(value: T): T {
  return copyAt(value, 0) as T
}

// Past this depth (or a cycle) the rest goes to structuredClone, which handles both.
const maxDepth = 32

function copyAt(value: unknown, depth: number): unknown {
  if (value === null) return value
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return value
    case 'object':
      break
    default:
      // Functions and symbols: let structuredClone throw its DataCloneError.
      return structuredClone(value)
  }
  if (depth >= maxDepth) return structuredClone(value)
  if (Array.isArray(value)) {
    const out = new Array(value.length)
    for (let i = 0; i < value.length; i++) out[i] = copyAt(value[i], depth + 1)
    return out
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return structuredClone(value)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    out[key] = copyAt((value as Record<string, unknown>)[key], depth + 1)
  }
  return out
}
