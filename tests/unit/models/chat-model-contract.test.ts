import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAnthropicModel } from '../../../src/core/models/anthropic.ts'
import type { ChatModel, ModelEvent } from '../../../src/core/models/chat-model.ts'
import { createDemoModel } from '../../../src/core/models/demo.ts'
import { createOpenAiModel } from '../../../src/core/models/openai.ts'
import { abortableSleep } from '../../../src/core/models/sleep.ts'
import { collect, collectUntilError } from '../../support/collect.ts'
import { type MockLlm, startMockLlm } from '../../support/mock-llm/index.ts'

let mock: MockLlm
beforeAll(async () => {
  mock = await startMockLlm()
})
afterAll(() => mock.close())

/** The same promises, for every ChatModel implementation. */
const implementations: Array<[string, () => ChatModel, () => void]> = [
  [
    'openai',
    () =>
      createOpenAiModel({
        client: new OpenAI({ apiKey: 'k', baseURL: `${mock.url}/v1`, maxRetries: 0 }),
        model: 'm',
      }),
    () =>
      mock.script({
        kind: 'text',
        text: 'one two three four five six seven eight',
        chunkDelayMs: 20,
      }),
  ],
  [
    'anthropic',
    () =>
      createAnthropicModel({
        client: new Anthropic({ apiKey: 'k', baseURL: mock.url, maxRetries: 0 }),
        model: 'm',
      }),
    () =>
      mock.script({
        kind: 'text',
        text: 'one two three four five six seven eight',
        chunkDelayMs: 20,
      }),
  ],
  ['demo', () => createDemoModel({ wordDelayMs: 20, sleep: abortableSleep }), () => {}],
]

describe.each(implementations)('ChatModel contract: %s', (_name, make, script) => {
  it('yields text, then usage, then exactly one finish, last', async () => {
    mock.reset()
    const events = await collect(
      make().stream({ messages: [{ role: 'user', content: 'Hello there' }] }),
    )
    const types = events.map((e) => e.type)
    expect(types.filter((t) => t === 'finish')).toHaveLength(1)
    expect(types.at(-1)).toBe('finish')
    expect(types.indexOf('usage')).toBe(types.length - 2)
    expect(types.slice(0, -2).every((t) => t === 'text-delta')).toBe(true)
    const usage = events.find((e) => e.type === 'usage') as Extract<ModelEvent, { type: 'usage' }>
    expect(usage.inputTokens).toBeGreaterThan(0)
    expect(usage.outputTokens).toBeGreaterThan(0)
  })

  it('has a provider:model id', () => {
    const model = make()
    expect(model.id).toBe(`${model.provider}:${model.model}`)
  })

  it('rejects with provider_aborted soon after the signal aborts', async () => {
    mock.reset()
    script()
    const controller = new AbortController()
    const seen: ModelEvent[] = []
    const { error } = await collectUntilError(
      (async function* () {
        for await (const event of make().stream(
          { messages: [{ role: 'user', content: 'Tell me something long' }] },
          controller.signal,
        )) {
          seen.push(event)
          if (seen.length === 1) controller.abort()
          yield event
        }
      })(),
    )
    expect(seen.length).toBeLessThanOrEqual(2)
    expect(error).toMatchObject({ code: 'provider_aborted', retryable: false })
  })
})
