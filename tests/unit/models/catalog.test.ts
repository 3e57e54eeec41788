import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../src/core/errors.ts'
import { createCatalog } from '../../../src/core/models/catalog.ts'
import { tiers } from '../../../src/core/models/model-catalog.ts'
import { parseTierSpec } from '../../../src/core/models/tier-spec.ts'

const ids = (catalog: ReturnType<typeof createCatalog>) =>
  Object.fromEntries(tiers.map((tier) => [tier, catalog.tiers[tier].map((e) => e.id)]))

describe('createCatalog', () => {
  it('fills every tier with the demo model when nothing is configured', () => {
    const catalog = createCatalog({})
    expect(catalog.demo).toBe(true)
    for (const tier of tiers) expect(catalog.tiers[tier].map((e) => e.id)).toEqual(['demo:demo'])
    expect(catalog.tiers.fast[0]?.price).toEqual({ inputPerMTok: 0, outputPerMTok: 0 })
  })

  it('gives Anthropic defaults with prices and capabilities', () => {
    const catalog = createCatalog({ anthropicApiKey: 'k' })
    expect(catalog.demo).toBe(false)
    expect(ids(catalog)).toEqual({
      fast: ['anthropic:claude-haiku-4-5'],
      smart: ['anthropic:claude-sonnet-4-6'],
      code: ['anthropic:claude-sonnet-4-6'],
      vision: ['anthropic:claude-sonnet-4-6'],
      local: ['anthropic:claude-haiku-4-5'],
    })
    expect(catalog.get('anthropic:claude-sonnet-4-6')).toMatchObject({
      capabilities: { tools: true, vision: true, contextWindow: 200_000 },
      price: { inputPerMTok: 3, outputPerMTok: 15 },
    })
    expect(catalog.connections).toEqual({ anthropic: { apiKey: 'k', baseUrl: undefined } })
  })

  it('orders Anthropic, then OpenAI, then the local endpoint as the last resort', () => {
    const catalog = createCatalog({
      anthropicApiKey: 'a',
      openaiApiKey: 'o',
      openaiBaseUrl: 'http://127.0.0.1:11434/v1',
      localModel: 'qwen2.5-coder',
    })
    // A custom base URL means the OpenAI key belongs to that endpoint, not to api.openai.com.
    expect(ids(catalog).fast).toEqual(['anthropic:claude-haiku-4-5', 'local:qwen2.5-coder'])
    expect(ids(catalog).local).toEqual(['local:qwen2.5-coder'])
    expect(ids(catalog).vision).toEqual(['anthropic:claude-sonnet-4-6'])
    expect(catalog.connections.local).toEqual({ apiKey: 'o', baseUrl: 'http://127.0.0.1:11434/v1' })
  })

  it('treats the official OpenAI URL as OpenAI', () => {
    const catalog = createCatalog({ openaiApiKey: 'o', openaiBaseUrl: 'https://api.openai.com/v1' })
    expect(ids(catalog).fast).toEqual(['openai:gpt-4.1-mini'])
    expect(ids(catalog).smart).toEqual(['openai:gpt-4.1'])
  })

  it('lets a local-only setup borrow a vision-capable tier or none', () => {
    const catalog = createCatalog({ openaiBaseUrl: 'http://localhost:8000/v1' })
    expect(ids(catalog).smart).toEqual(['local:llama3.2'])
    expect(ids(catalog).vision).toEqual([])
  })

  it('applies overrides and extra model descriptions', () => {
    const catalog = createCatalog({
      anthropicApiKey: 'a',
      openaiBaseUrl: 'http://localhost:8000/v1',
      overrides: parseTierSpec(
        'fast=local:phi4,anthropic:claude-haiku-4-5; code=anthropic:claude-opus-4-1',
      ),
      models: {
        phi4: {
          capabilities: { contextWindow: 16_000 },
          price: { inputPerMTok: 0.01, outputPerMTok: 0.02 },
        },
      },
    })
    expect(ids(catalog).fast).toEqual(['local:phi4', 'anthropic:claude-haiku-4-5'])
    expect(ids(catalog).code).toEqual(['anthropic:claude-opus-4-1'])
    expect(catalog.get('local:phi4')).toMatchObject({
      capabilities: { tools: true, vision: false, contextWindow: 16_000 },
      price: { inputPerMTok: 0.01, outputPerMTok: 0.02 },
    })
  })

  it('rejects an override naming an unconfigured provider, and malformed specs', () => {
    expect(() => createCatalog({ overrides: { fast: ['openai:gpt-4.1'] } })).toThrow(ConfigError)
    expect(() => parseTierSpec('turbo=openai:x')).toThrow(ConfigError)
    expect(() => parseTierSpec('fast=gpt-4.1')).toThrow(ConfigError)
  })

  it('describes explicit models outside the tiers, only for configured providers', () => {
    const catalog = createCatalog({ anthropicApiKey: 'a' })
    expect(catalog.get('anthropic:claude-opus-4-1')?.price.outputPerMTok).toBe(75)
    expect(catalog.get('openai:gpt-4.1')).toBeUndefined()
  })
})
