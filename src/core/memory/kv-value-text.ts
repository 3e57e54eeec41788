import { invalidKvArgument } from './kv-store-errors.ts'

/**
 * A value as every `KvStore` keeps it: its JSON text. Both stores write this, so a value that
 * JSON cannot carry (undefined, a function, a bigint, a cycle) is refused alike, and what JSON
 * changes (a Date becomes its ISO string, an undefined property disappears) changes alike.
 */
export function kvValueText(value: unknown): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (error) {
    throw invalidKvArgument('The value cannot be stored: it is not JSON-serialisable', error)
  }
  if (text === undefined) throw invalidKvArgument(`A ${typeof value} cannot be stored`)
  return text
}
