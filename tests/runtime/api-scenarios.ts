import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { expect } from 'vitest'
import { readSse } from '../support/api-app.ts'

/** What an API scenario gets: the runtime's base URL and a key made before it started. */
export interface ApiScenarioContext {
  baseUrl: string
  apiKey: string
  runtime: string
}

/** A scenario for the APIs for programs, run on every runtime over a real socket. */
export interface ApiScenario {
  name: string
  run(context: ApiScenarioContext): Promise<void>
}

const calculator = {
  type: 'function' as const,
  function: {
    name: 'calculator',
    description: 'Evaluates arithmetic',
    parameters: { type: 'object', properties: { expression: { type: 'string' } } },
  },
}

/** The API scenario list every runtime must pass (the demo model answers). */
export const apiScenarios: ApiScenario[] = [
  {
    name: 'API: a missing, wrong or revoked-looking key is a 401 in each surface’s format',
    async run({ baseUrl }) {
      const rest = await fetch(`${baseUrl}/api/conversations`)
      expect(rest.status).toBe(401)
      expect(await rest.json()).toMatchObject({ error: { code: 'unauthorized' } })
      const openai = await fetch(`${baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { Authorization: 'Bearer op_wrong', 'Content-Type': 'application/json' },
        body: '{}',
      })
      expect(openai.status).toBe(401)
      expect(await openai.json()).toMatchObject({ error: { type: 'authentication_error' } })
      const anthropic = await fetch(`${baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': 'op_wrong', 'Content-Type': 'application/json' },
        body: '{}',
      })
      expect(anthropic.status).toBe(401)
      expect(await anthropic.json()).toMatchObject({
        type: 'error',
        error: { type: 'authentication_error' },
      })
    },
  },
  {
    name: 'API: the openai SDK streams, and a tool call goes round trip',
    async run({ baseUrl, apiKey }) {
      const client = new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0 })
      const stream = await client.chat.completions.create({
        model: 'auto',
        messages: [{ role: 'user', content: 'Say hello' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      let text = ''
      let usage: OpenAI.CompletionUsage | null | undefined
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? ''
        usage = chunk.usage ?? usage
      }
      expect(text).toMatch(/\S/)
      expect(usage?.completion_tokens).toBeGreaterThan(0)

      const messages: OpenAI.ChatCompletionMessageParam[] = [
        { role: 'user', content: 'What is 6*7?' },
      ]
      const first = await client.chat.completions.create({
        model: 'auto',
        messages,
        tools: [calculator],
      })
      const call = first.choices[0]?.message.tool_calls?.[0] as OpenAI.ChatCompletionMessageToolCall
      expect(call).toMatchObject({ type: 'function', function: { name: 'calculator' } })
      messages.push(first.choices[0]!.message, {
        role: 'tool',
        tool_call_id: call.id,
        content: JSON.stringify({ expression: '6*7', result: 42 }),
      })
      const second = await client.chat.completions.create({ model: 'auto', messages })
      expect(second.choices[0]?.message.content).toContain('42')
    },
  },
  {
    name: 'API: the @anthropic-ai/sdk streams the message event sequence',
    async run({ baseUrl, apiKey }) {
      const client = new Anthropic({ apiKey, baseURL: baseUrl, maxRetries: 0 })
      const message = await client.messages
        .stream({ model: 'auto', max_tokens: 200, messages: [{ role: 'user', content: 'Hi' }] })
        .finalMessage()
      expect(message.stop_reason).toBe('end_turn')
      expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/\S/) })
      const bad = await client.messages
        .create({ model: 'auto', messages: [] } as never)
        .catch((e: unknown) => e)
      expect(bad).toBeInstanceOf(Anthropic.BadRequestError)
    },
  },
  {
    name: 'API: a run read in part resumes with Last-Event-ID, exactly the rest',
    async run({ baseUrl, apiKey }) {
      const headers = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' }
      const created = await fetch(`${baseUrl}/api/conversations`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ title: 'resume' }),
      })
      expect(created.status).toBe(201)
      const { id } = (await created.json()) as { id: string }
      const sent = await fetch(`${baseUrl}/api/conversations/${id}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ content: 'Tell me a story about resumable streams' }),
      })
      expect(sent.status).toBe(202)
      const { events_url } = (await sent.json()) as { events_url: string }
      const part = await readSse(await fetch(baseUrl + events_url, { headers }), 3)
      expect(part.map((f) => f.id)).toEqual(['1', '2', '3'])
      const rest = await readSse(
        await fetch(baseUrl + events_url, { headers: { ...headers, 'Last-Event-ID': '3' } }),
      )
      const all = await readSse(await fetch(baseUrl + events_url, { headers }))
      expect([...part, ...rest]).toEqual(all)
      expect(all.at(-1)?.event).toBe('turn-end')
    },
  },
  {
    name: 'API: a follower who joins a live run gets its first event within 1 s, then all of it',
    async run({ baseUrl, apiKey }) {
      const headers = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' }
      const created = await fetch(`${baseUrl}/api/conversations`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ title: 'followers' }),
      })
      const { id } = (await created.json()) as { id: string }
      const sent = await fetch(`${baseUrl}/api/conversations/${id}/messages`, {
        method: 'POST',
        headers,
        // The demo model echoes up to 120 characters: a long question makes a long answer.
        body: JSON.stringify({
          content: `Tell me a long story, to be watched twice, ${'about followers '.repeat(8)}`,
        }),
      })
      const { events_url, run_url } = (await sent.json()) as { events_url: string; run_url: string }
      const first = await fetch(baseUrl + events_url, { headers })
      const firstReader = first.body!.getReader()
      await firstReader.read()
      // The run is live (the demo model writes a word every 40 ms for about 3 s): join it.
      const status = (await (await fetch(baseUrl + run_url, { headers })).json()) as {
        status: string
      }
      expect(status.status).toBe('running')
      const joined = performance.now()
      const second = await fetch(baseUrl + events_url, { headers })
      const reader = second.body!.getReader()
      const decoder = new TextDecoder()
      let text = ''
      while (!text.includes('\n\n')) {
        const { done, value } = await reader.read()
        if (done) break
        text += decoder.decode(value, { stream: true })
      }
      const firstEventMs = performance.now() - joined
      // A product requirement, not a benchmark: a second tab must not sit blank.
      expect(firstEventMs).toBeLessThan(1000)
      expect(text.split('\n\n')[0]).toMatch(/^id: 1$/m)
      await reader.cancel()
      await firstReader.cancel()
      // Both see the same whole run, from its first event to its end.
      const a = await readSse(await fetch(baseUrl + events_url, { headers }))
      const b = await readSse(await fetch(baseUrl + events_url, { headers }))
      expect(b).toEqual(a)
      expect(a.at(-1)?.event).toBe('turn-end')
    },
  },
]
