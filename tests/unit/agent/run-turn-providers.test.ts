import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../../src/core/agent/agent-event.ts'
import { runTurn, type TurnDeps } from '../../../src/core/agent/run-turn.ts'
import { createInMemoryKvStore } from '../../../src/core/memory/in-memory-kv-store.ts'
import { createBreaker } from '../../../src/core/models/breaker.ts'
import { type CatalogOptions, createCatalog } from '../../../src/core/models/catalog.ts'
import { createModelProvider } from '../../../src/core/models/model-provider.ts'
import { createRouter } from '../../../src/core/models/router.ts'
import { calculatorTool } from '../../../src/core/tools/calculator.ts'
import { currentTimeTool } from '../../../src/core/tools/current-time.ts'
import { createToolRegistry } from '../../../src/core/tools/registry.ts'
import { collect } from '../../support/collect.ts'
import { type MockLlm, startMockLlm } from '../../support/mock-llm/index.ts'

type End = Extract<AgentEvent, { type: 'turn-end' }>

/** What a UI shows: per step, the text since that step's last restart. */
function rendered(events: AgentEvent[]): string {
  const steps = new Map<number, string>()
  for (const e of events) {
    if (e.type === 'retry' && e.restart) steps.set(e.step, '')
    if (e.type === 'text-delta') steps.set(e.step, (steps.get(e.step) ?? '') + e.text)
  }
  return [...steps.values()].join('')
}

describe('runTurn end to end against the mock, through the official SDKs', () => {
  let mock: MockLlm
  let time = 0
  const clock = () => time
  let deps: (options?: Partial<CatalogOptions>) => TurnDeps

  beforeAll(async () => {
    mock = await startMockLlm()
    deps = (options = {}) => {
      const catalog = createCatalog({
        anthropicApiKey: 'test',
        anthropicBaseUrl: mock.url,
        openaiBaseUrl: `${mock.url}/v1`,
        ...options,
      })
      return {
        router: createRouter({ catalog }),
        models: createModelProvider({ catalog }),
        tools: createToolRegistry({ tools: [calculatorTool, currentTimeTool] }),
        breaker: createBreaker({ kv: createInMemoryKvStore({ now: clock }), now: clock }),
        now: clock,
        sleep: async (ms) => {
          time += ms
        },
      }
    }
  })
  afterAll(() => mock.close())
  beforeEach(() => {
    mock.reset()
    time = 1_000_000
  })

  it('routes by intent: code to the code tier, small talk to the fast tier', async () => {
    const code = await collect(
      runTurn(deps(), { message: 'Why does my React useEffect run twice?' }),
    )
    expect(code[0]).toMatchObject({ type: 'route', tier: 'code', intent: 'code' })
    expect(mock.requests.at(-1)).toMatchObject({
      protocol: 'anthropic',
      model: 'claude-sonnet-4-6',
    })
    const chat = await collect(runTurn(deps(), { message: 'hi!' }))
    expect(chat[0]).toMatchObject({ type: 'route', tier: 'fast' })
    expect(mock.requests.at(-1)).toMatchObject({ model: 'claude-haiku-4-5' })
    expect((chat.at(-1) as End).text).toContain('Mock claude-haiku-4-5 reply to "hi!"')
  })

  it('streams, calls a tool over the Anthropic protocol, and answers from its result', async () => {
    mock.script(
      {
        kind: 'tool-calls',
        text: 'Let me compute. ',
        calls: [{ name: 'calculator', arguments: { expression: '6 * 7' } }],
      },
      { model: 'claude-haiku-4-5' },
    )
    const events = await collect(runTurn(deps(), { message: 'hey' }))
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({
      name: 'calculator',
      ok: true,
    })
    const end = events.at(-1) as End
    expect(end).toMatchObject({ reason: 'done', steps: 2 })
    expect(end.text).toBe(
      'Let me compute. \n\nThe tool returned {"expression":"6 * 7","result":42}.',
    )
    const second = mock.requests[1]?.body as { messages: Array<{ role: string; content: unknown }> }
    expect(second.messages.at(-1)).toMatchObject({
      role: 'user',
      content: [{ type: 'tool_result', content: '{"expression":"6 * 7","result":42}' }],
    })
  })

  it('does the same over the OpenAI-compatible protocol alone', async () => {
    mock.script({
      kind: 'tool-calls',
      calls: [{ name: 'current_time', arguments: { timezone: 'UTC' } }],
    })
    const events = await collect(
      runTurn(deps({ anthropicApiKey: undefined }), { message: 'hello' }),
    )
    expect(mock.requests.map((r) => r.protocol)).toEqual(['openai', 'openai'])
    expect((events.at(-1) as End).text).toMatch(/^The tool returned \{"iso":/)
  })

  it('falls back across a 429 and a mid-stream cut without losing or duplicating text', async () => {
    const options = {
      overrides: {
        fast: ['anthropic:claude-haiku-4-5', 'local:llama3.2', 'anthropic:claude-sonnet-4-6'],
      },
    }
    mock.script(
      { kind: 'error', status: 429, retryAfterSeconds: 20 },
      { model: 'claude-haiku-4-5' },
    )
    mock.script(
      { kind: 'cut', text: 'Partial words that will be discarded', afterChunks: 2 },
      { model: 'llama3.2' },
    )
    mock.script(
      { kind: 'text', text: 'The whole answer, exactly once.', usage: { input: 10, output: 7 } },
      { model: 'claude-sonnet-4-6' },
    )
    const events = await collect(runTurn(deps(options), { message: 'hi' }))
    const retries = events.filter((e) => e.type === 'retry')
    expect(retries.map((r) => [r.from, r.to, r.restart])).toEqual([
      ['anthropic:claude-haiku-4-5', 'local:llama3.2', false],
      ['local:llama3.2', 'anthropic:claude-sonnet-4-6', true],
    ])
    const end = events.at(-1) as End
    expect(end.text).toBe('The whole answer, exactly once.')
    expect(rendered(events)).toBe(end.text)
    expect(end).toMatchObject({ reason: 'done', model: 'anthropic:claude-sonnet-4-6' })
  })

  it('ends with an explicit error, never a silent truncation, when every candidate fails', async () => {
    mock.script(
      { kind: 'cut', text: 'one two three four', afterChunks: 2 },
      { model: 'claude-haiku-4-5' },
    )
    mock.script({ kind: 'error', status: 503 }, { model: 'llama3.2' })
    const events = await collect(
      runTurn(deps({ overrides: { fast: ['anthropic:claude-haiku-4-5', 'local:llama3.2'] } }), {
        message: 'hi',
        maxTokens: 10,
      }),
    )
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ restart: true })
    expect(events.find((e) => e.type === 'error')).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
    })
    // The partial text was voided by the restart, and the turn says it failed.
    expect(rendered(events)).toBe('')
    expect((events.at(-1) as End).text).toBe('')
    expect(events.at(-1)).toMatchObject({ type: 'turn-end', reason: 'error' })
  })

  it('records usage and cost per step and per turn from the catalog prices', async () => {
    mock.script(
      [
        {
          kind: 'tool-calls',
          calls: [{ name: 'calculator', arguments: { expression: '2+2' } }],
          usage: { input: 1000, output: 200 },
        },
        { kind: 'text', text: 'Four.', usage: { input: 1300, output: 100 } },
      ],
      { model: 'claude-haiku-4-5' },
    )
    const events = await collect(runTurn(deps(), { message: 'hi' }))
    const usage = events.filter((e) => e.type === 'usage')
    // claude-haiku-4-5: $1 per million input tokens, $5 per million output tokens.
    expect(usage).toEqual([
      {
        type: 'usage',
        step: 1,
        model: 'anthropic:claude-haiku-4-5',
        inputTokens: 1000,
        outputTokens: 200,
        costUsd: 0.002,
      },
      {
        type: 'usage',
        step: 2,
        model: 'anthropic:claude-haiku-4-5',
        inputTokens: 1300,
        outputTokens: 100,
        costUsd: 0.0018,
      },
    ])
    expect((events.at(-1) as End).usage).toEqual({
      inputTokens: 2300,
      outputTokens: 300,
      costUsd: 0.0038,
    })
  })

  it('works without streaming too', async () => {
    mock.script(
      { kind: 'tool-calls', calls: [{ name: 'calculator', arguments: { expression: '3^2' } }] },
      { model: 'claude-haiku-4-5' },
    )
    const events = await collect(runTurn(deps(), { message: 'hi', stream: false }))
    expect((events.at(-1) as End).text).toContain('"result":9')
    expect(mock.requests.every((r) => (r.body as { stream?: boolean }).stream !== true)).toBe(true)
  })

  it('cancels the provider request promptly', async () => {
    mock.script(
      { kind: 'text', text: 'a b c d e f g h i j k l m n o p', chunkDelayMs: 30 },
      { model: 'claude-haiku-4-5' },
    )
    const controller = new AbortController()
    const events: AgentEvent[] = []
    for await (const event of runTurn(deps(), { message: 'hi' }, controller.signal)) {
      events.push(event)
      if (event.type === 'text-delta') controller.abort()
    }
    expect(events.filter((e) => e.type === 'text-delta')).toHaveLength(1)
    expect(events.at(-1)).toMatchObject({ type: 'turn-end', reason: 'cancelled' })
  })
})
