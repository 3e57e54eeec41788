import { knownModels } from './known-models.ts'
import type { Tier } from './model-catalog.ts'

/** A configured provider's models for each tier, best first (the local tier has its own). */
export const defaultModels: Readonly<
  Record<'anthropic' | 'openai', Readonly<Record<Exclude<Tier, 'local'>, readonly string[]>>>
> = {
  anthropic: {
    fast: ['claude-haiku-4-5'],
    smart: ['claude-sonnet-4-6'],
    code: ['claude-sonnet-4-6'],
    vision: ['claude-sonnet-4-6'],
  },
  openai: {
    fast: ['gpt-4.1-mini'],
    smart: ['gpt-4.1'],
    code: ['gpt-4.1'],
    vision: ['gpt-4.1'],
  },
}

/**
 * The default models whose announced end of life is on or before `today` (UTC), as
 * `provider:model`. A default must never be one: requests to it fail from that day on.
 */
export function defaultsPastEndOfLife(today: Date = new Date()): string[] {
  const day = today.toISOString().slice(0, 10)
  const past = new Set<string>()
  for (const [provider, byTier] of Object.entries(defaultModels)) {
    for (const models of Object.values(byTier)) {
      for (const model of models) {
        const endOfLife = knownModels[model]?.endOfLife
        if (endOfLife !== undefined && endOfLife <= day) past.add(`${provider}:${model}`)
      }
    }
  }
  return [...past]
}
