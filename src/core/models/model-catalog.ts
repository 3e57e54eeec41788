/** The routing tiers: what kind of model a request needs. */
export type Tier = 'fast' | 'smart' | 'code' | 'vision' | 'local'

/** Every tier, in display order. */
export const tiers: readonly Tier[] = ['fast', 'smart', 'code', 'vision', 'local']

/** The providers Outpost can talk to; `local` is any OpenAI-compatible endpoint. */
export type ProviderName = 'anthropic' | 'openai' | 'local' | 'demo'

/** What a model can do, used to skip candidates a request cannot run on. */
export interface ModelCapabilities {
  tools: boolean
  vision: boolean
  /** Tokens of context (input plus output). */
  contextWindow: number
}

/** US dollars per million tokens. */
export interface ModelPrice {
  inputPerMTok: number
  outputPerMTok: number
}

/** One model a tier may use. */
export interface CatalogEntry {
  /** `provider:model`. */
  id: string
  provider: ProviderName
  model: string
  capabilities: ModelCapabilities
  price: ModelPrice
}

/** How to reach a provider; secrets stay here and never reach a log or a page. */
export interface ProviderConnection {
  apiKey?: string
  baseUrl?: string
}

/**
 * The models available to this deployment: for each tier an ordered list of candidates
 * (best first, fallbacks after), plus how to reach each configured provider. `demo` is true
 * when no provider is configured and the built-in demo model fills every tier.
 */
export interface ModelCatalog {
  tiers: Readonly<Record<Tier, readonly CatalogEntry[]>>
  connections: Readonly<Partial<Record<ProviderName, ProviderConnection>>>
  demo: boolean
  /** The entry for a `provider:model` id, when the catalog knows that provider. */
  get(id: string): CatalogEntry | undefined
  /** Every distinct entry, in tier order. */
  entries(): CatalogEntry[]
}
