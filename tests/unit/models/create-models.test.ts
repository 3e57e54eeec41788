import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTurn } from '../../../src/core/agent/run-turn.ts'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import { createModels } from '../../../src/core/models/create-models.ts'
import { collect } from '../../support/collect.ts'
import { type MockLlm, startMockLlm } from '../../support/mock-llm/index.ts'

describe('createModels', () => {
  let mock: MockLlm
  beforeAll(async () => {
    mock = await startMockLlm()
  })
  afterAll(() => mock.close())

  it('wires catalog, provider, router and breaker from plain options', async () => {
    const built = createModels({
      anthropicApiKey: 'k',
      anthropicBaseUrl: mock.url,
      kv: createInMemoryKvStore(),
    })
    expect(built.catalog.demo).toBe(false)
    expect(built.breaker).toBeDefined()
    const events = await collect(runTurn(built, { message: 'hi' }))
    expect(events.at(-1)).toMatchObject({
      type: 'turn-end',
      reason: 'done',
      model: 'anthropic:claude-haiku-4-5',
    })
  })

  it('asks the fast model to classify an unsure request when enabled', async () => {
    mock.reset()
    mock.script({ kind: 'text', text: 'reasoning' }, { model: 'claude-haiku-4-5' })
    const built = createModels({
      anthropicApiKey: 'k',
      anthropicBaseUrl: mock.url,
      classifyWhenUnsure: true,
    })
    const decision = await built.router.route({
      messages: [
        {
          role: 'user',
          content:
            'Two envelopes contain money, one has twice as much. Should you switch after opening one?',
        },
      ],
    })
    expect(decision).toMatchObject({ source: 'classifier', intent: 'reasoning', tier: 'smart' })
    expect(mock.requests).toHaveLength(1)
  })

  it('never classifies with the demo model', async () => {
    const built = createModels({ classifyWhenUnsure: true })
    const decision = await built.router.route({
      messages: [
        {
          role: 'user',
          content: 'Two envelopes contain money, one has twice as much. Should you switch?',
        },
      ],
    })
    expect(decision.source).toBe('heuristic')
  })
})
