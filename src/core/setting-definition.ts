import * as z from 'zod'

/**
 * One configuration variable: how to parse it, what it means, and what a user must write.
 * The README's configuration table is checked against this list by a test.
 */
export interface SettingDefinition<T> {
  /** Parses the raw string (already trimmed; never called for an unset or empty value). */
  schema: z.ZodType<T>
  /** Used when the variable is unset or empty; `undefined` means the setting stays unset. */
  default?: T
  /** The default as a user would write it, when that differs from the parsed value. */
  defaultText?: string
  /** What a valid value looks like, for error messages ("an integer from 1 to 65535"). */
  expects: string
  /** One line for the README table. */
  description: string
  /** Secrets are never echoed, logged or rendered. */
  secret?: boolean
}

export const integer = (min: number, max: number) =>
  z.coerce.number().int().min(min).max(max) as unknown as z.ZodType<number>

export const usd = z.coerce.number().min(0).max(1_000_000) as unknown as z.ZodType<number>

export const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//i.test(value))
  .transform((value) => value.replace(/\/+$/, ''))

// Keeps each definition's literal type, so `Config` knows which settings have defaults.
export const def = <const D extends SettingDefinition<unknown>>(definition: D): D => definition
