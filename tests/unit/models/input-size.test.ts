import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../../src/core/models/chat-model.ts'
import { imageInputTokens, inputSize, inputTokens } from '../../../src/core/models/input-size.ts'

const base64Photo = 'A'.repeat(940_000)

describe('the input size of a request', () => {
  it('counts text by its characters and each message by a small framing', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'x'.repeat(100) },
      { role: 'user', content: 'y'.repeat(300) },
    ]
    expect(inputSize(messages)).toEqual({ chars: 400 + 2 * 16, images: 0 })
    expect(inputTokens(inputSize(messages))).toBe(Math.ceil(432 / 4))
  })

  it('counts an image as an image, whatever the size of its base64 or URL', () => {
    const messages: ChatMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image', mediaType: 'image/jpeg', data: base64Photo },
          { type: 'image', url: `https://example.com/${'p'.repeat(5000)}.png` },
        ],
      },
    ]
    const size = inputSize(messages)
    expect(size).toEqual({ chars: 13 + 16, images: 2 })
    expect(inputTokens(size)).toBe(Math.ceil(29 / 4) + 2 * imageInputTokens)
    expect(inputTokens(size)).toBeLessThan(4000)
  })

  it('counts tool calls by their arguments, tool results by their content, and the tool definitions', () => {
    const input = { expression: '6*7', note: 'n'.repeat(50) }
    const messages: ChatMessage[] = [
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'calculator', input }] },
      { role: 'tool', toolCallId: 'c1', toolName: 'calculator', content: '42' },
    ]
    const tools = [{ name: 'calculator', description: 'Adds', inputSchema: { type: 'object' } }]
    expect(inputSize(messages, tools).chars).toBe(
      JSON.stringify(tools).length + 16 + 10 + JSON.stringify(input).length + 16 + 2 + 10,
    )
  })

  it('finds arguments too deep to serialise larger than any context window', () => {
    const deep: Record<string, unknown> = {}
    deep.self = deep
    const messages: ChatMessage[] = [
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 't', input: deep }] },
    ]
    expect(inputTokens(inputSize(messages))).toBe(Number.POSITIVE_INFINITY)
  })

  it('counts text up to a bound when asked, images always', () => {
    const size = { chars: 5_000_000, images: 1 }
    expect(inputTokens(size, 1_000_000)).toBe(250_000 + imageInputTokens)
  })
})
