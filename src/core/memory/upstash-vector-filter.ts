import type { VectorFilter } from './vector-store.ts'

/**
 * A string literal of the Upstash Vector filter language. Picks the quote that needs no
 * escaping when it can (as common translators do) and backslash-escapes backslashes and the
 * chosen quote, so no value can end the literal early and inject filter syntax.
 */
export function quoteFilterString(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'"
  const escaped = value.replace(/\\/g, '\\\\').replaceAll(quote, `\\${quote}`)
  return `${quote}${escaped}${quote}`
}

/** Translates a `VectorFilter` into Upstash's filter text: equality on each field, ANDed. */
export function toUpstashFilter(filter: VectorFilter): string {
  const clauses = [`owner = ${quoteFilterString(filter.owner)}`]
  if (filter.conversationId !== undefined) {
    clauses.push(`conversationId = ${quoteFilterString(filter.conversationId)}`)
  }
  if (filter.kind !== undefined) clauses.push(`kind = ${quoteFilterString(filter.kind)}`)
  return clauses.join(' AND ')
}
