import type { ModelCapabilities, ModelPrice } from './model-catalog.ts'

/** What Outpost knows about a model by name. */
export interface KnownModel {
  capabilities: ModelCapabilities
  /** List prices, USD per million tokens. */
  price: ModelPrice
  /**
   * The provider's announced end of life (ISO date, UTC), when one is announced: requests fail
   * from that day on. Anthropic's come from the SDK's table of deprecated models
   * (`@anthropic-ai/sdk/internal/data/deprecated-models`); the openai SDK has no such table.
   */
  endOfLife?: string
}

/** Models Outpost knows by name: capabilities, list prices, end of life. */
export const knownModels: Readonly<Record<string, KnownModel>> = {
  'claude-haiku-4-5': {
    capabilities: { tools: true, vision: true, contextWindow: 200_000 },
    price: { inputPerMTok: 1, outputPerMTok: 5 },
  },
  'claude-sonnet-4-6': {
    capabilities: { tools: true, vision: true, contextWindow: 200_000 },
    price: { inputPerMTok: 3, outputPerMTok: 15 },
  },
  'claude-sonnet-4-5': {
    capabilities: { tools: true, vision: true, contextWindow: 200_000 },
    price: { inputPerMTok: 3, outputPerMTok: 15 },
    endOfLife: '2026-11-30',
  },
  'claude-opus-4-5': {
    capabilities: { tools: true, vision: true, contextWindow: 200_000 },
    price: { inputPerMTok: 5, outputPerMTok: 25 },
    endOfLife: '2027-01-22',
  },
  'claude-opus-4-1': {
    capabilities: { tools: true, vision: true, contextWindow: 200_000 },
    price: { inputPerMTok: 15, outputPerMTok: 75 },
  },
  'gpt-4.1-mini': {
    capabilities: { tools: true, vision: true, contextWindow: 1_047_576 },
    price: { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  },
  'gpt-4.1': {
    capabilities: { tools: true, vision: true, contextWindow: 1_047_576 },
    price: { inputPerMTok: 2, outputPerMTok: 8 },
  },
  'gpt-4o-mini': {
    capabilities: { tools: true, vision: true, contextWindow: 128_000 },
    price: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  },
  'gpt-4o': {
    capabilities: { tools: true, vision: true, contextWindow: 128_000 },
    price: { inputPerMTok: 2.5, outputPerMTok: 10 },
  },
  'llama3.2': {
    capabilities: { tools: true, vision: false, contextWindow: 128_000 },
    price: { inputPerMTok: 0, outputPerMTok: 0 },
  },
  'llama3.2-vision': {
    capabilities: { tools: false, vision: true, contextWindow: 128_000 },
    price: { inputPerMTok: 0, outputPerMTok: 0 },
  },
  'qwen2.5-coder': {
    capabilities: { tools: true, vision: false, contextWindow: 32_768 },
    price: { inputPerMTok: 0, outputPerMTok: 0 },
  },
  demo: {
    capabilities: { tools: true, vision: true, contextWindow: 32_000 },
    price: { inputPerMTok: 0, outputPerMTok: 0 },
  },
}

/** For a model nobody described: tools on, no vision, a modest window, free (self-hosted). */
export const unknownModel = {
  capabilities: { tools: true, vision: false, contextWindow: 32_768 },
  price: { inputPerMTok: 0, outputPerMTok: 0 },
} as const
