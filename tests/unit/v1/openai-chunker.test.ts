import { describe, expect, it } from 'vitest'
import type { ModelEvent } from '../../../src/core/models/chat-model.ts'
import { createChunker } from '../../../src/routes/v1/openai-response.ts'

// The chunk objects as OpenAI streams them; the chunker's texts must be exactly their JSON.
const object = (
  model: string,
  includeUsage: boolean,
  delta: Record<string, unknown>,
  finish: string | null = null,
) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1700000000,
  model,
  system_fingerprint: null,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  ...(includeUsage && { usage: null }),
})

describe('createChunker', () => {
  for (const includeUsage of [false, true]) {
    it(`writes each chunk as JSON.stringify would (include_usage ${includeUsage})`, () => {
      let model = 'local:mock-1'
      const chunker = createChunker({
        id: 'chatcmpl-1',
        created: 1700000000,
        model: () => model,
        includeUsage,
      })
      const events: ModelEvent[] = [
        { type: 'thinking-delta', text: 'hmm "quoted"\n' },
        { type: 'text-delta', text: 'Hé \u2028 <b>\\' },
        { type: 'tool-call', call: { id: 'call_1', name: 'calc', input: { x: 1 } } },
        { type: 'usage', inputTokens: 3, outputTokens: 4 },
        { type: 'finish', reason: 'tool-calls' },
      ]
      expect(chunker.start()).toBe(
        JSON.stringify(
          object(model, includeUsage, { role: 'assistant', content: '', refusal: null }),
        ),
      )
      const texts = events.flatMap((event) => chunker.event(event))
      model = 'openai:fallback "b"'
      const after = chunker.event({ type: 'text-delta', text: 'x' })
      const expected = [
        object('local:mock-1', includeUsage, { reasoning_content: 'hmm "quoted"\n' }),
        object('local:mock-1', includeUsage, { content: 'Hé \u2028 <b>\\' }),
        object('local:mock-1', includeUsage, {
          tool_calls: [
            {
              index: 0,
              id: 'call_1',
              type: 'function',
              function: { name: 'calc', arguments: '{"x":1}' },
            },
          ],
        }),
        object('local:mock-1', includeUsage, {}, 'tool_calls'),
        ...(includeUsage
          ? [
              {
                ...object('local:mock-1', includeUsage, {}),
                choices: [],
                usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
              },
            ]
          : []),
      ].map((o) => JSON.stringify(o))
      expect(texts).toEqual(expected)
      expect(after).toEqual([JSON.stringify(object(model, includeUsage, { content: 'x' }))])
    })
  }
})
