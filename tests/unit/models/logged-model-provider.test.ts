import { describe, expect, it } from 'vitest'
import type { ChatModel, ModelEvent } from '../../../src/core/models/chat-model.ts'
import { loggedModelProvider } from '../../../src/core/models/logged-model-provider.ts'
import type { ModelProvider } from '../../../src/core/models/model-provider.ts'
import { ProviderError } from '../../../src/core/models/provider-error.ts'
import { createLogger } from '../../../src/core/telemetry/logger.ts'

const secret = 'sk-ant-never-logged-123'

function setup() {
  let outcome: 'ok' | 'down' | 'aborted' = 'down'
  const model: ChatModel = {
    id: 'anthropic:claude-haiku-4-5',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    async *stream(): AsyncGenerator<ModelEvent> {
      yield { type: 'text-delta', text: 'partial' } as ModelEvent
      if (outcome === 'ok') return
      const code = outcome === 'down' ? 'provider_network' : 'provider_aborted'
      throw new ProviderError(code, `Connection error with key ${secret}`, {
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        retryable: outcome === 'down',
      })
    },
  }
  const inner: ModelProvider = { get: async () => model, ping: async () => {} }
  const lines: string[] = []
  const logger = createLogger({ level: 'debug', write: (_level, line) => lines.push(line) })
  const provider = loggedModelProvider(inner, logger)
  const turn = async () => {
    const chat = await provider.get(model.id)
    try {
      for await (const _ of chat.stream({ messages: [] })) {
        // Drain: many tokens, one record at most.
      }
    } catch {
      // The caller (fallback) sees the error unchanged.
    }
  }
  return {
    lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    raw: lines,
    set: (next: typeof outcome) => {
      outcome = next
    },
    turn,
  }
}

describe('loggedModelProvider', () => {
  it('warns once per failure episode with provider and code, and says when it answers again', async () => {
    const t = setup()
    await t.turn()
    await t.turn()
    await t.turn()
    expect(t.lines()).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'model provider failing',
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        code: 'provider_network',
      }),
    ])
    t.set('ok')
    await t.turn()
    await t.turn()
    t.set('down')
    await t.turn()
    expect(t.lines().map((line) => line.message)).toEqual([
      'model provider failing',
      'model provider answering again',
      'model provider failing',
    ])
    expect(t.raw.join('\n')).not.toContain(secret)
  })

  it('hands out one wrapper per model, so callers keying on it do not grow per request', async () => {
    const model: ChatModel = {
      id: 'openai:m',
      provider: 'openai',
      model: 'm',
      async *stream(): AsyncGenerator<ModelEvent> {},
    }
    const inner: ModelProvider = { get: async () => model, ping: async () => {} }
    const provider = loggedModelProvider(inner, createLogger({ level: 'error', write: () => {} }))
    expect(await provider.get('openai:m')).toBe(await provider.get('openai:m'))
  })

  it('does not count a cancelled stream as a failure', async () => {
    const t = setup()
    t.set('aborted')
    await t.turn()
    expect(t.lines()).toEqual([])
  })

  it('passes the error through unchanged', async () => {
    const chat = await loggedModelProvider(
      {
        get: async () => ({
          id: 'x:y',
          provider: 'x',
          model: 'y',
          // biome-ignore lint/correctness/useYield: fails before its first event
          async *stream() {
            throw new ProviderError('provider_timeout', 'slow', {
              provider: 'x',
              model: 'y',
              retryable: true,
            })
          },
        }),
        ping: async () => {},
      },
      createLogger({ level: 'error' }),
    ).get('x:y')
    await expect(
      chat.stream({ messages: [] })[Symbol.asyncIterator]().next(),
    ).rejects.toMatchObject({ code: 'provider_timeout' })
  })
})
