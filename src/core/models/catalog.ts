import { ConfigError } from '../errors.ts'
import { defaultModels } from './default-models.ts'
import { knownModels, unknownModel } from './known-models.ts'
import type {
  CatalogEntry,
  ModelCapabilities,
  ModelCatalog,
  ModelPrice,
  ProviderConnection,
  ProviderName,
  Tier,
} from './model-catalog.ts'
import { tiers } from './model-catalog.ts'

/** Plain options, as the services layer reads them from config. */
export interface CatalogOptions {
  anthropicApiKey?: string
  anthropicBaseUrl?: string
  openaiApiKey?: string
  /** The official API when unset; any other URL is an OpenAI-compatible (`local`) endpoint. */
  openaiBaseUrl?: string
  /** Model served by the OpenAI-compatible endpoint; default `llama3.2`. */
  localModel?: string
  /** Replaces a tier's candidates, best first: `{ fast: ['local:qwen2.5', 'anthropic:...'] }`. */
  overrides?: Partial<Record<Tier, readonly string[]>>
  /** Capabilities and prices of models not in the built-in table, by model name. */
  models?: Record<string, { capabilities?: Partial<ModelCapabilities>; price?: ModelPrice }>
}

const OFFICIAL_OPENAI = /^https:\/\/api\.openai\.com(\/v1)?\/?$/

/** When a tier has no candidate of its own, it borrows from these, in order. */
const borrowFrom: Record<Tier, Tier[]> = {
  fast: ['smart', 'local'],
  smart: ['fast', 'local'],
  code: ['smart', 'fast', 'local'],
  vision: ['smart', 'fast'],
  local: ['fast', 'smart'],
}

/**
 * Builds the catalog from plain options. Each configured provider contributes its default
 * models to every tier (Anthropic first, then OpenAI, then the local endpoint as the last,
 * free resort); overrides replace a tier's list; with nothing configured, the demo model
 * fills every tier. Throws `ConfigError` when an override names an unconfigured provider.
 */
export function createCatalog(options: CatalogOptions = {}): ModelCatalog {
  const connections: Partial<Record<ProviderName, ProviderConnection>> = {}
  if (options.anthropicApiKey) {
    connections.anthropic = { apiKey: options.anthropicApiKey, baseUrl: options.anthropicBaseUrl }
  }
  const customBase = options.openaiBaseUrl && !OFFICIAL_OPENAI.test(options.openaiBaseUrl)
  if (customBase)
    connections.local = { apiKey: options.openaiApiKey, baseUrl: options.openaiBaseUrl }
  else if (options.openaiApiKey) connections.openai = { apiKey: options.openaiApiKey }
  const demo = Object.keys(connections).length === 0
  if (demo) connections.demo = {}

  const entry = (id: string): CatalogEntry => {
    const at = id.indexOf(':')
    const provider = id.slice(0, at) as ProviderName
    const model = id.slice(at + 1)
    if (at <= 0 || model === '' || !connections[provider]) {
      throw new ConfigError([
        {
          variable: 'MODEL_TIERS',
          expected: `"${id}" to name a configured provider (${Object.keys(connections).join(', ')}) and a model`,
        },
      ])
    }
    const known = knownModels[model] ?? unknownModel
    const extra = options.models?.[model]
    return {
      id,
      provider,
      model,
      capabilities: { ...known.capabilities, ...extra?.capabilities },
      price: extra?.price ?? known.price,
    }
  }

  const lists: Record<Tier, string[]> = { fast: [], smart: [], code: [], vision: [], local: [] }
  if (demo) for (const tier of tiers) lists[tier].push('demo:demo')
  for (const provider of ['anthropic', 'openai'] as const) {
    if (!connections[provider]) continue
    for (const [tier, models] of Object.entries(defaultModels[provider])) {
      lists[tier as Tier].push(...models.map((model) => `${provider}:${model}`))
    }
  }
  if (connections.local) {
    const local = `local:${options.localModel ?? 'llama3.2'}`
    lists.local.push(local)
    for (const tier of ['fast', 'smart', 'code', 'vision'] as const) lists[tier].push(local)
  }
  for (const [tier, ids] of Object.entries(options.overrides ?? {})) {
    if (ids) lists[tier as Tier] = [...ids]
  }

  const built = {} as Record<Tier, CatalogEntry[]>
  for (const tier of tiers) {
    built[tier] = unique(lists[tier]).map(entry)
    if (tier === 'vision') built[tier] = built[tier].filter((e) => e.capabilities.vision)
  }
  for (const tier of tiers) {
    for (const donor of borrowFrom[tier]) {
      if (built[tier].length > 0) break
      built[tier] =
        tier === 'vision' ? built[donor].filter((e) => e.capabilities.vision) : built[donor]
    }
  }

  const byId = new Map<string, CatalogEntry>()
  for (const tier of tiers) for (const e of built[tier]) byId.set(e.id, e)
  return {
    tiers: built,
    connections,
    demo,
    get: (id) => byId.get(id) ?? safeEntry(entry, id),
    entries: () => [...byId.values()],
  }
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)]
}

function safeEntry(build: (id: string) => CatalogEntry, id: string): CatalogEntry | undefined {
  try {
    return build(id)
  } catch {
    return undefined
  }
}
