import { describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../../src/core/agent/agent-event.ts'
import { runTurn, type TurnDeps } from '../../../src/core/agent/run-turn.ts'
import { createCatalog } from '../../../src/core/models/catalog.ts'
import type { ChatModel } from '../../../src/core/models/chat-model.ts'
import type { ModelProvider } from '../../../src/core/models/model-provider.ts'
import { createModelProvider } from '../../../src/core/models/model-provider.ts'
import { ProviderError } from '../../../src/core/models/provider-error.ts'
import { createRouter } from '../../../src/core/models/router.ts'
import { abortableSleep } from '../../../src/core/models/sleep.ts'
import { calculatorTool } from '../../../src/core/tools/calculator.ts'
import { currentTimeTool } from '../../../src/core/tools/current-time.ts'
import { createToolRegistry } from '../../../src/core/tools/registry.ts'
import { collect } from '../../support/collect.ts'

const now = () => Date.parse('2026-03-01T12:00:00Z')
const tools = createToolRegistry({ tools: [currentTimeTool, calculatorTool], now })

const demoDeps = (overrides: Partial<TurnDeps> = {}, wordDelayMs = 0): TurnDeps => {
  const catalog = createCatalog({})
  return {
    router: createRouter({ catalog }),
    models: createModelProvider({
      catalog,
      demo: { wordDelayMs, sleep: wordDelayMs ? abortableSleep : async () => {} },
    }),
    tools,
    ...overrides,
  }
}
const answerOf = (events: AgentEvent[]) =>
  events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('')
const endOf = (events: AgentEvent[]) => events.at(-1) as Extract<AgentEvent, { type: 'turn-end' }>

/** A provider serving one fake model for every id. */
const only = (model: ChatModel): ModelProvider => ({ get: async () => model, ping: async () => {} })

describe('runTurn with the offline demo model', () => {
  it('routes, calls current_time, feeds the result back and answers', async () => {
    const events = await collect(runTurn(demoDeps(), { message: 'What time is it?' }))
    expect(events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1])).toEqual([
      'route',
      'text-delta',
      'tool-call',
      'usage',
      'tool-result',
      'text-delta',
      'usage',
      'turn-end',
    ])
    expect(events[0]).toMatchObject({
      type: 'route',
      tier: 'fast',
      intent: 'chat',
      candidates: ['demo:demo'],
    })
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({
      name: 'current_time',
      ok: true,
    })
    const end = endOf(events)
    expect(end).toMatchObject({
      reason: 'done',
      steps: 2,
      model: 'demo:demo',
      usage: { costUsd: 0 },
    })
    expect(end.text).toBe(answerOf(events))
    expect(end.text).toContain(
      'According to the current_time tool, it is Sunday, 1 March 2026 at 12:00:00 UTC.',
    )
    expect(end.usage.inputTokens).toBeGreaterThan(0)
  })

  it('computes with the calculator tool', async () => {
    const end = endOf(await collect(runTurn(demoDeps(), { message: 'what is 12 * (3 + 4)?' })))
    expect(end.text).toContain('12 * (3 + 4) = 84')
  })

  it('shows the model a failing tool as an error result, and carries on', async () => {
    const events = await collect(runTurn(demoDeps(), { message: 'compute 5 * 2 / 0 for me' }))
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({
      ok: false,
      content: expect.stringContaining('Division by zero'),
    })
    expect(endOf(events)).toMatchObject({ reason: 'done' })
    expect(endOf(events).text).toContain('calculator tool failed')
  })

  it('passes recalled history and the system prompt to the model', async () => {
    const seen: unknown[] = []
    const model: ChatModel = {
      id: 'demo:demo',
      provider: 'demo',
      model: 'demo',
      async *stream(request) {
        seen.push(request.messages)
        yield { type: 'text-delta', text: 'ok' }
        yield { type: 'finish', reason: 'stop' }
      },
    }
    await collect(
      runTurn(demoDeps({ models: only(model), system: 'Be kind.' }), {
        message: 'and now?',
        history: [
          { role: 'user', content: 'before' },
          { role: 'assistant', content: 'reply' },
        ],
      }),
    )
    expect(seen[0]).toEqual([
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'before' },
      { role: 'assistant', content: 'reply' },
      { role: 'user', content: 'and now?' },
    ])
  })

  it('joins the texts of two steps as paragraphs, in the deltas as in the stored answer', async () => {
    let calls = 0
    const twoSteps: ChatModel = {
      id: 'demo:demo',
      provider: 'demo',
      model: 'demo',
      async *stream() {
        calls += 1
        if (calls === 1) {
          yield { type: 'text-delta', text: 'Checking the clock.' }
          yield {
            type: 'tool-call',
            call: { id: 'c1', name: 'current_time', input: {} },
          }
          yield { type: 'finish', reason: 'tool-calls' }
        } else {
          yield { type: 'text-delta', text: 'It is ' }
          yield { type: 'text-delta', text: 'late.' }
          yield { type: 'finish', reason: 'stop' }
        }
      },
    }
    const events = await collect(
      runTurn(demoDeps({ models: only(twoSteps) }), { message: 'What time is it?' }),
    )
    expect(endOf(events).text).toBe('Checking the clock.\n\nIt is late.')
    expect(answerOf(events)).toBe(endOf(events).text)
  })

  it('stops at the step limit when the model keeps calling tools', async () => {
    let n = 0
    const looping: ChatModel = {
      id: 'demo:demo',
      provider: 'demo',
      model: 'demo',
      async *stream() {
        yield {
          type: 'tool-call',
          call: { id: `c${++n}`, name: 'calculator', input: { expression: '1+1' } },
        }
        yield { type: 'finish', reason: 'tool-calls' }
      },
    }
    const events = await collect(
      runTurn(demoDeps({ models: only(looping), maxSteps: 3 }), { message: 'loop' }),
    )
    expect(events.filter((e) => e.type === 'tool-result')).toHaveLength(3)
    expect(endOf(events)).toMatchObject({ reason: 'max-steps', steps: 3 })
  })

  it('ends with error then turn-end when the provider fails for good', async () => {
    const failing: ChatModel = {
      id: 'demo:demo',
      provider: 'demo',
      model: 'demo',
      // biome-ignore lint/correctness/useYield: fails before its first event on purpose
      async *stream() {
        throw new ProviderError('provider_auth', 'demo:demo rejected the credentials', {
          provider: 'demo',
          model: 'demo',
          retryable: false,
        })
      },
    }
    const events = await collect(runTurn(demoDeps({ models: only(failing) }), { message: 'hi' }))
    expect(events.slice(-2)).toEqual([
      {
        type: 'error',
        code: 'provider_auth',
        message: 'demo:demo rejected the credentials',
        retryable: false,
      },
      expect.objectContaining({ type: 'turn-end', reason: 'error' }),
    ])
  })

  it('stops promptly when cancelled mid-answer', async () => {
    const controller = new AbortController()
    const events: AgentEvent[] = []
    for await (const event of runTurn(
      demoDeps({}, 20),
      { message: 'Tell me a long story about the sea' },
      controller.signal,
    )) {
      events.push(event)
      if (event.type === 'text-delta' && events.filter((e) => e.type === 'text-delta').length === 2)
        controller.abort()
    }
    expect(events.filter((e) => e.type === 'text-delta')).toHaveLength(2)
    expect(endOf(events)).toMatchObject({ reason: 'cancelled', steps: 1 })
  })
})
