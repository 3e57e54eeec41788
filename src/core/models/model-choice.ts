import { ValidationError } from '../errors.ts'
import { type Tier, tiers } from './model-catalog.ts'

/**
 * A caller's `model` as the router reads it: `auto` (or nothing) lets the router decide; a
 * tier or a `provider:model` is honoured. Rejects anything else before anything is written.
 */
export function modelChoice(model: string | undefined): { model?: string; tier?: Tier } {
  if (!model || model === 'auto') return {}
  if ((tiers as readonly string[]).includes(model)) return { tier: model as Tier }
  if (!/^[a-z]+:\S+$/.test(model)) {
    throw new ValidationError(
      'model must be auto, a tier (fast, smart, code, vision, local) or provider:model',
      {
        code: 'model_invalid',
        details: [{ path: 'model', message: `unknown model "${model}"` }],
      },
    )
  }
  return { model }
}
