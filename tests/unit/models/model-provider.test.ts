import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCatalog } from '../../../src/core/models/catalog.ts'
import { createLazyCache } from '../../../src/core/models/lazy-cache.ts'
import { createModelProvider } from '../../../src/core/models/model-provider.ts'
import { collect } from '../../support/collect.ts'
import { type MockLlm, startMockLlm } from '../../support/mock-llm/index.ts'

describe('createLazyCache', () => {
  it('builds once for 50 concurrent first callers', async () => {
    let builds = 0
    const cache = createLazyCache(async (key) => {
      builds += 1
      await new Promise((resolve) => setTimeout(resolve, 10))
      return { key }
    })
    const values = await Promise.all(Array.from({ length: 50 }, () => cache.get('a')))
    expect(builds).toBe(1)
    expect(new Set(values).size).toBe(1)
    await cache.get('b')
    expect(builds).toBe(2)
  })

  it('forgets a failed build so the next caller retries', async () => {
    let attempts = 0
    const cache = createLazyCache(async () => {
      attempts += 1
      if (attempts === 1) throw new Error('flaky')
      return attempts
    })
    await expect(cache.get('k')).rejects.toThrow('flaky')
    await expect(cache.get('k')).resolves.toBe(2)
  })
})

describe('createModelProvider', () => {
  let mock: MockLlm
  beforeAll(async () => {
    mock = await startMockLlm()
  })
  afterAll(() => mock.close())

  it('shares one SDK client per connection across 50 concurrent first requests', async () => {
    const catalog = createCatalog({
      anthropicApiKey: 'a',
      anthropicBaseUrl: mock.url,
      openaiBaseUrl: `${mock.url}/v1`,
    })
    const built = { anthropic: 0, openai: 0 }
    const provider = createModelProvider({
      catalog,
      clients: {
        anthropic: (c) => {
          built.anthropic += 1
          return new Anthropic({ apiKey: c.apiKey, baseURL: c.baseUrl, maxRetries: 0 })
        },
        openai: (c) => {
          built.openai += 1
          return new OpenAI({ apiKey: 'x', baseURL: c.baseUrl, maxRetries: 0 })
        },
      },
    })
    const ids = ['anthropic:claude-haiku-4-5', 'anthropic:claude-sonnet-4-6', 'local:llama3.2']
    const models = await Promise.all(
      Array.from({ length: 50 }, (_, i) => provider.get(ids[i % 3] as string)),
    )
    expect(built).toEqual({ anthropic: 1, openai: 1 })
    expect(new Set(models).size).toBe(3)
    const events = await collect(
      (models[2] as (typeof models)[number]).stream({
        messages: [{ role: 'user', content: 'ping' }],
      }),
    )
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
  })

  it('pings each configured provider by listing its models through its SDK', async () => {
    mock.reset()
    const provider = createModelProvider({
      catalog: createCatalog({
        anthropicApiKey: 'a',
        anthropicBaseUrl: mock.url,
        openaiBaseUrl: `${mock.url}/v1`,
      }),
    })
    await provider.ping('anthropic')
    await provider.ping('local')
    await provider.ping('demo')
    expect(mock.requests.map((r) => [r.protocol, r.method, r.path])).toEqual([
      ['anthropic', 'GET', '/v1/models'],
      ['openai', 'GET', '/v1/models'],
    ])
  })

  it('rejects a ping when the provider does not answer, or is not configured', async () => {
    const down = createModelProvider({
      catalog: createCatalog({ openaiBaseUrl: 'http://127.0.0.1:9/v1' }),
    })
    await expect(down.ping('local')).rejects.toThrow()
    await expect(down.ping('anthropic')).rejects.toMatchObject({ code: 'model_unknown' })
  })

  it('builds real SDK clients by default and talks to the configured endpoint', async () => {
    const provider = createModelProvider({
      catalog: createCatalog({ anthropicApiKey: 'a', anthropicBaseUrl: mock.url }),
    })
    const model = await provider.get('anthropic:claude-haiku-4-5')
    const events = await collect(
      model.stream({ messages: [{ role: 'user', content: 'hello there' }] }),
    )
    expect(events.some((e) => e.type === 'text-delta')).toBe(true)
    expect(mock.requests.at(-1)).toMatchObject({ protocol: 'anthropic', model: 'claude-haiku-4-5' })
  })

  it('serves the demo model and rejects unknown providers', async () => {
    const provider = createModelProvider({
      catalog: createCatalog({}),
      demo: { sleep: async () => {} },
    })
    expect((await provider.get('demo:demo')).id).toBe('demo:demo')
    await expect(provider.get('openai:gpt-4.1')).rejects.toMatchObject({ code: 'model_unknown' })
  })
})
