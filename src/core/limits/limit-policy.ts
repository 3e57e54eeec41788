/**
 * The limits one principal works within. An absent field is no limit. Spend is in US dollars
 * from the catalog's prices; tokens count input and output together.
 */
export interface LimitPolicy {
  /** Requests for model work per sliding minute. */
  rpm?: number
  /** Tokens (input plus output) per sliding minute, reserved before each run. */
  tpm?: number
  /** Runs going on at once. */
  concurrent?: number
  /** Spend per UTC day, in USD. */
  usdPerDay?: number
  /** Spend per UTC month, in USD. */
  usdPerMonth?: number
}

/** Every field of a policy, in the order the keys CLI and `/api/usage` show them. */
export const limitNames = ['rpm', 'tpm', 'concurrent', 'usdPerDay', 'usdPerMonth'] as const

/** One limit's name. */
export type LimitName = (typeof limitNames)[number]

/**
 * A key's own limits over the configured defaults: a field the key sets wins (0 included,
 * which blocks that kind of use), the others come from the defaults.
 */
export function effectivePolicy(defaults: LimitPolicy, overrides?: LimitPolicy): LimitPolicy {
  const policy: LimitPolicy = {}
  for (const name of limitNames) {
    const value = overrides?.[name] ?? defaults[name]
    if (value !== undefined) policy[name] = value
  }
  return policy
}

/** Whether a value is a usable limit: a finite number, zero or more. */
export function validLimit(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
