import { ConfigError } from '../errors.ts'
import { type Tier, tiers } from './model-catalog.ts'

/**
 * Parses a tier override text such as
 * `fast=local:qwen2.5,anthropic:claude-haiku-4-5; code=anthropic:claude-sonnet-4-6`
 * (tiers separated by `;`, candidates by `,`, best first). Throws `ConfigError` naming
 * `variable` when the text is malformed.
 */
export function parseTierSpec(
  text: string,
  variable = 'MODEL_TIERS',
): Partial<Record<Tier, string[]>> {
  const out: Partial<Record<Tier, string[]>> = {}
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, list] = part.split('=', 2).map((p) => p.trim())
    if (!tiers.includes(name as Tier) || !list) {
      throw new ConfigError([
        {
          variable,
          expected: `tier=provider:model,... pairs separated by ";" with tiers ${tiers.join(', ')}`,
        },
      ])
    }
    const ids = list
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean)
    if (ids.some((id) => !/^[a-z]+:\S+$/.test(id))) {
      throw new ConfigError([{ variable, expected: 'candidates written provider:model' }])
    }
    out[name as Tier] = ids
  }
  return out
}
