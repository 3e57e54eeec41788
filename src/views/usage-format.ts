/** Token counts with thousands separators: 12,345. */
export function formatTokens(tokens: number): string {
  return Math.round(tokens).toLocaleString('en-US')
}

/** Dollars: cents for sums of a cent or more, six decimals below (model calls are cheap). */
export function formatDollars(dollars: number): string {
  if (dollars === 0) return '$0'
  return `$${dollars >= 0.01 ? dollars.toFixed(2) : dollars.toFixed(6)}`
}
