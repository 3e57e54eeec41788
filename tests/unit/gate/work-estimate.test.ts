import { describe, expect, it } from 'vitest'
import { estimateWork } from '../../../src/core/gate/work-estimate.ts'
import type { CatalogEntry } from '../../../src/core/models/model-catalog.ts'

const sonnet: CatalogEntry = {
  id: 'anthropic:claude-sonnet-4-5',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  capabilities: { tools: true, vision: true, contextWindow: 200_000 },
  price: { inputPerMTok: 3, outputPerMTok: 15 },
}
const catalog = { get: () => sonnet, entries: () => [sonnet] }

describe('the estimate a completion reserves', () => {
  it('counts an inline image as an image, not as its base64', () => {
    // About 700 KB of image: counted as text it reserved 235,000 tokens and $0.70.
    const data = 'A'.repeat(940_000)
    const estimate = estimateWork(
      {
        kind: 'completion',
        request: {
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'what is this?' },
                { type: 'image', mediaType: 'image/jpeg', data },
              ],
            },
          ],
          maxTokens: 100,
        },
      },
      catalog,
      1024,
    )
    expect(estimate.tokens).toBe(Math.ceil((13 + 16) / 4) + 1600 + 100)
    expect(estimate.usdMicros).toBeLessThan(10_000)
  })

  it('counts the tools a completion offers', () => {
    const tools = [
      { name: 'lookup', description: 'd'.repeat(400), inputSchema: { type: 'object' } },
    ]
    const request = { messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 0 }
    const without = estimateWork({ kind: 'completion', request }, catalog, 1024).tokens
    const withTools = estimateWork(
      { kind: 'completion', request: { ...request, tools } },
      catalog,
      1024,
    )
    expect(withTools.tokens - without).toBeGreaterThanOrEqual(100)
  })
})
