import { ConfigError } from '../errors.ts'
import { minThinkingBudget } from './anthropic-request.ts'
import { type Tier, tiers } from './model-catalog.ts'

/**
 * Parses reasoning budgets per tier such as `smart=4096; code=8192`: the tokens a model that
 * thinks only when asked (Anthropic's extended thinking) may spend before it answers. A tier
 * left out does not ask for thinking. Throws `ConfigError` naming `variable` when malformed.
 */
export function parseThinkingBudgets(
  text: string,
  variable = 'THINKING_BUDGETS',
): Partial<Record<Tier, number>> {
  const out: Partial<Record<Tier, number>> = {}
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=', 2).map((p) => p.trim())
    const budget = Number(value)
    if (
      !tiers.includes(name as Tier) ||
      !Number.isInteger(budget) ||
      budget < minThinkingBudget ||
      budget > 128_000
    ) {
      throw new ConfigError([
        {
          variable,
          expected: `tier=tokens pairs separated by ";", tokens from ${minThinkingBudget} to 128000`,
        },
      ])
    }
    out[name as Tier] = budget
  }
  return out
}
