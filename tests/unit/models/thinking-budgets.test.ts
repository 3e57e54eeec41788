import { describe, expect, it } from 'vitest'
import { toAnthropicParams } from '../../../src/core/models/anthropic-request.ts'
import { reasoningOf } from '../../../src/core/models/openai-request.ts'
import { parseThinkingBudgets } from '../../../src/core/models/thinking-budgets.ts'

describe('parseThinkingBudgets', () => {
  it('reads tier=tokens pairs', () => {
    expect(parseThinkingBudgets('smart=4096; code = 8192;')).toEqual({ smart: 4096, code: 8192 })
    expect(parseThinkingBudgets('')).toEqual({})
  })

  it('refuses unknown tiers and budgets Anthropic would refuse', () => {
    for (const text of ['huge=4096', 'smart=512', 'smart=lots', 'smart', 'smart=200000']) {
      expect(() => parseThinkingBudgets(text)).toThrow()
    }
  })
})

describe('extended thinking in the Anthropic request', () => {
  const messages = [{ role: 'user' as const, content: 'hi' }]

  it('asks for thinking with the budget, keeps max_tokens above it and drops temperature', () => {
    const params = toAnthropicParams(
      'claude',
      { messages, thinkingBudget: 2048, temperature: 0.2, maxTokens: 1000 },
      4096,
    )
    expect(params.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 })
    expect(params.max_tokens).toBe(3048)
    expect(params).not.toHaveProperty('temperature')
  })

  it('leaves a max_tokens already above the budget, and asks nothing for a budget of 0', () => {
    expect(
      toAnthropicParams('claude', { messages, thinkingBudget: 2048, maxTokens: 8000 }, 4096),
    ).toMatchObject({ max_tokens: 8000 })
    const off = toAnthropicParams('claude', { messages, thinkingBudget: 0, temperature: 0.2 }, 4096)
    expect(off).not.toHaveProperty('thinking')
    expect(off).toMatchObject({ temperature: 0.2 })
  })
})

describe('reasoningOf (OpenAI-compatible servers)', () => {
  it('reads reasoning_content (DeepSeek, vLLM, llama.cpp) or reasoning (OpenRouter)', () => {
    expect(reasoningOf({ reasoning_content: 'a' })).toBe('a')
    expect(reasoningOf({ reasoning: 'b' })).toBe('b')
    expect(reasoningOf({ content: 'c' })).toBeUndefined()
    expect(reasoningOf({ reasoning_content: '' })).toBeUndefined()
    expect(reasoningOf(null)).toBeUndefined()
  })
})
