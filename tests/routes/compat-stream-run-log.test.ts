import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../src/core/agent/agent-event.ts'
import type { RunLog } from '../../src/core/runs/run-log.ts'
import { type ApiApp, createApiApp } from '../support/api-app.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'

// The compatible endpoints stream the upstream through the providers' lean SSE decoder
// (sse-events.ts) and write chunks as text: what the official SDKs read must be the answer,
// and the run log behind it must still hold the text, the usage and the end.

let mock: MockLlm
let app: ApiApp
let secret: string
const runIds: string[] = []

beforeAll(async () => {
  mock = await startMockLlm()
  app = await createApiApp(
    {
      OPENAI_BASE_URL: `${mock.url}/v1`,
      LOCAL_MODEL: 'mock-1',
      ANTHROPIC_BASE_URL: mock.url,
      ANTHROPIC_API_KEY: 'mock',
    },
    (services) => {
      // Remember each run the endpoints open, to read it back from the log.
      const runLog: RunLog = {
        ...services.runLog,
        create: async (options) => {
          const info = await services.runLog.create(options)
          runIds.push(info.id)
          return info
        },
      }
      return { ...services, runLog }
    },
  )
  secret = (await app.user('stream')).secret
})
afterAll(async () => {
  await mock?.close()
})
beforeEach(() => {
  mock.reset()
  runIds.length = 0
})

const lastRun = async (): Promise<AgentEvent[]> => {
  await app.background.drain(5000)
  const runId = runIds.at(-1) as string
  const events: AgentEvent[] = []
  for await (const entry of app.services.runLog.tail(runId, 0)) events.push(entry.event)
  return events
}
const text = 'Streamed \u201cas is\u201d, with a\nnewline, a \\ and an emoji \u{1f680}.'

describe('streaming through the lean decoder', () => {
  it('openai SDK: reads the answer whole, and the run log has text, usage and the end', async () => {
    mock.script({ kind: 'text', text, chunkDelayMs: 1, usage: { input: 11, output: 7 } })
    const client = new OpenAI({
      apiKey: secret,
      baseURL: 'http://outpost.test/v1',
      maxRetries: 0,
      fetch: app.fetch,
    })
    const stream = await client.chat.completions.create({
      model: 'local:mock-1',
      messages: [{ role: 'user', content: 'tell me' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    let streamed = ''
    let usage: OpenAI.CompletionUsage | null | undefined
    let finish: string | null | undefined
    for await (const chunk of stream) {
      streamed += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      if (chunk.usage) usage = chunk.usage
      expect(chunk.model).toBe('local:mock-1')
    }
    expect(streamed).toBe(text)
    expect(finish).toBe('stop')
    expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 })

    const events = await lastRun()
    const logged = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('')
    expect(logged).toBe(text)
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'usage', inputTokens: 11, outputTokens: 7 }),
    )
    expect(events.at(-1)).toMatchObject({ type: 'turn-end', reason: 'done', text })
  })

  it('@anthropic-ai/sdk: reads the answer whole, and the run log has text, usage and the end', async () => {
    mock.script({ kind: 'text', text, chunkDelayMs: 1, usage: { input: 5, output: 9 } })
    const client = new Anthropic({
      apiKey: secret,
      baseURL: 'http://outpost.test',
      maxRetries: 0,
      fetch: app.fetch,
    })
    const stream = client.messages.stream({
      model: 'anthropic:mock-1',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'tell me' }],
    })
    const message = await stream.finalMessage()
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text })])
    expect(message.stop_reason).toBe('end_turn')
    expect(message.usage).toMatchObject({ input_tokens: 5, output_tokens: 9 })

    const events = await lastRun()
    const logged = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('')
    expect(logged).toBe(text)
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'usage', inputTokens: 5, outputTokens: 9 }),
    )
    expect(events.at(-1)).toMatchObject({ type: 'turn-end', reason: 'done', text })
  })
})
