import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { collectCompletion } from '../../../src/core/compat/collect-completion.ts'
import { type CompletionDeps, startCompletion } from '../../../src/core/compat/start-completion.ts'
import { ValidationError } from '../../../src/core/errors.ts'
import { createCatalog } from '../../../src/core/models/catalog.ts'
import { modelChoice } from '../../../src/core/models/model-choice.ts'
import { createModelProvider } from '../../../src/core/models/model-provider.ts'
import { ProviderError } from '../../../src/core/models/provider-error.ts'
import { createRouter } from '../../../src/core/models/router.ts'
import { type MockLlm, startMockLlm } from '../../support/mock-llm/index.ts'

let mock: MockLlm
let deps: CompletionDeps
const request = { messages: [{ role: 'user' as const, content: 'Say something' }] }

beforeAll(async () => {
  mock = await startMockLlm()
  const catalog = createCatalog({
    anthropicApiKey: 'a',
    anthropicBaseUrl: mock.url,
    openaiBaseUrl: `${mock.url}/v1`,
    overrides: { fast: ['anthropic:claude-haiku-4-5', 'local:llama3.2'] },
  })
  deps = {
    router: createRouter({ catalog }),
    models: createModelProvider({ catalog }),
    breaker: undefined,
  }
})
afterAll(async () => {
  await mock?.close()
})
beforeEach(() => mock.reset())

describe('startCompletion', () => {
  it('falls back before any output without the client noticing, and names the model', async () => {
    mock.script({ kind: 'error', status: 500 }, { model: 'claude-haiku-4-5' })
    const completion = await startCompletion(deps, { model: 'fast', request })
    expect(completion.model).toBe('local:llama3.2')
    expect(completion.route).toMatchObject({ tier: 'fast', source: 'tier' })
    const answer = await collectCompletion(completion.events)
    expect(answer.text).toMatch(/^Mock llama3.2 reply/)
  })

  it('rejects before streaming when every candidate fails', async () => {
    mock.script({ kind: 'error', status: 500 }, { model: 'claude-haiku-4-5' })
    mock.script({ kind: 'error', status: 503 }, { model: 'llama3.2' })
    const error = await startCompletion(deps, { model: 'fast', request }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProviderError)
    expect(error).toMatchObject({ provider: 'local' })
  })

  it('fails instead of restarting an answer the client already has', async () => {
    mock.script(
      { kind: 'cut', text: 'one two three four five six', afterChunks: 2 },
      { model: 'claude-haiku-4-5' },
    )
    const completion = await startCompletion(deps, { model: 'fast', request })
    let text = ''
    const error = await (async () => {
      for await (const event of completion.events)
        if (event.type === 'text-delta') text += event.text
    })().catch((e: unknown) => e)
    expect(text).toBe('one two ')
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).retryable).toBe(true)
  })

  it('reads auto, tiers and provider:model, and refuses anything else', () => {
    expect(modelChoice('auto')).toEqual({})
    expect(modelChoice(undefined)).toEqual({})
    expect(modelChoice('code')).toEqual({ tier: 'code' })
    expect(modelChoice('local:mock-1')).toEqual({ model: 'local:mock-1' })
    expect(() => modelChoice('gpt-4o')).toThrow(ValidationError)
  })
})
