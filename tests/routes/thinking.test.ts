import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../src/core/agent/agent-event.ts'
import type { ServerFrame } from '../../src/routes/socket/chat-socket-frames.ts'
import { type ApiApp, createApiApp, readSse } from '../support/api-app.ts'
import { browser, frames, setup, startChat } from '../support/chat-browser.ts'
import { type MockLlm, startMockLlm } from '../support/mock-llm/index.ts'
import { createSocketApp } from '../support/socket-app.ts'

/*
 * Reasoning on every surface, from the mock LLM speaking each vendor's wire format: Anthropic
 * `thinking` blocks with signatures (asked for by THINKING_BUDGETS) and OpenAI-compatible
 * `reasoning_content` deltas (as vLLM, llama.cpp and DeepSeek send them, asked for here by the
 * mock's `[think]` marker). Reasoning is never part of the answer's text.
 */

let mock: MockLlm
let claude: ApiApp
let local: ApiApp
let claudeKey: string
let localKey: string

const claudeEnv = () => ({
  ANTHROPIC_BASE_URL: mock.url,
  ANTHROPIC_API_KEY: 'sk-ant-test',
  THINKING_BUDGETS: 'fast=2048; smart=2048; code=2048; vision=2048; local=2048',
})
const localEnv = () => ({ OPENAI_BASE_URL: `${mock.url}/v1`, LOCAL_MODEL: 'mock-1' })
const reasoning = /^Mock reasoning: the question has \d+ words/

beforeAll(async () => {
  // Frames a little apart, so each arrives in a read of its own and stays a delta of its own:
  // the UI tests below look at how reasoning streams piece by piece.
  mock = await startMockLlm({ defaultChunkDelayMs: 5 })
  claude = await createApiApp(claudeEnv())
  local = await createApiApp(localEnv())
  claudeKey = (await claude.user('claude')).secret
  localKey = (await local.user('local')).secret
})
afterAll(async () => {
  await mock?.close()
})
beforeEach(() => mock.reset())

const anthropic = (app: ApiApp, apiKey: string) =>
  new Anthropic({ apiKey, baseURL: 'http://outpost.test', maxRetries: 0, fetch: app.fetch })
const openai = (app: ApiApp, apiKey: string) =>
  new OpenAI({ apiKey, baseURL: 'http://outpost.test/v1', maxRetries: 0, fetch: app.fetch })

describe('the Anthropic adapter asks for extended thinking when the tier is configured for it', () => {
  it('sends the budget (max_tokens above it, no temperature) and streams thinking blocks', async () => {
    const stream = anthropic(claude, claudeKey).messages.stream({
      model: 'auto',
      max_tokens: 1000,
      temperature: 0.5,
      messages: [{ role: 'user', content: 'Why is the sky blue?' }],
    })
    const kinds: string[] = []
    for await (const event of stream) {
      if (event.type === 'content_block_delta') kinds.push(event.delta.type)
    }
    const message = await stream.finalMessage()
    const sent = mock.requests.find((r) => r.path === '/v1/messages')?.body as Record<
      string,
      unknown
    >
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 })
    expect(sent.max_tokens).toBeGreaterThan(2048)
    expect(sent).not.toHaveProperty('temperature')
    // The SDK assembled a thinking block, signed, then the answer in its own block.
    expect(message.content[0]).toMatchObject({
      type: 'thinking',
      thinking: expect.stringMatching(reasoning),
      signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
    })
    expect(message.content[1]).toMatchObject({ type: 'text', text: expect.stringMatching(/^Mock/) })
    expect(kinds).toContain('thinking_delta')
    expect(kinds.indexOf('signature_delta')).toBeLessThan(kinds.indexOf('text_delta'))
  })

  it("lets the client's own thinking param win, and `disabled` turn it off", async () => {
    const client = anthropic(claude, claudeKey)
    const own = await client.messages.create({
      model: 'auto',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'Think briefly' }],
    })
    expect(mock.turnRequests().at(-1)?.body).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 1024 },
      max_tokens: 4000,
    })
    expect(own.content.map((b) => b.type)).toEqual(['thinking', 'text'])
    const off = await client.messages.create({
      model: 'auto',
      max_tokens: 400,
      thinking: { type: 'disabled' },
      messages: [{ role: 'user', content: 'No thinking' }],
    })
    expect(mock.turnRequests().at(-1)?.body).not.toHaveProperty('thinking')
    expect(off.content.map((b) => b.type)).toEqual(['text'])
  })

  it('relays Anthropic thinking as reasoning_content on chat completions', async () => {
    const stream = await openai(claude, claudeKey).chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: 'Why is the sky blue?' }],
      stream: true,
    })
    let thought = ''
    let content = ''
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string; content?: string }
      thought += delta?.reasoning_content ?? ''
      content += delta?.content ?? ''
    }
    expect(thought).toMatch(reasoning)
    expect(content).toMatch(/^Mock/)
    expect(content).not.toContain('reasoning')
  })
})

describe('the OpenAI-compatible adapter passes reasoning_content through', () => {
  it('streams reasoning_content deltas apart from the content (OpenAI SDK)', async () => {
    const stream = await openai(local, localKey).chat.completions.create({
      model: 'local:mock-1',
      messages: [{ role: 'user', content: '[think] Why is the sky blue?' }],
      stream: true,
    })
    const order: string[] = []
    let thought = ''
    let content = ''
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string; content?: string }
      if (delta?.reasoning_content) {
        thought += delta.reasoning_content
        order.push('reasoning')
      }
      if (delta?.content) {
        content += delta.content
        order.push('content')
      }
    }
    expect(thought).toMatch(reasoning)
    expect(content).toMatch(/^Mock local:mock-1|^Mock mock-1/)
    expect(content).not.toContain('Mock reasoning')
    expect(order.lastIndexOf('reasoning')).toBeLessThan(order.indexOf('content'))
  })

  it('answers reasoning_content in a non-streaming completion', async () => {
    const completion = await openai(local, localKey).chat.completions.create({
      model: 'local:mock-1',
      messages: [{ role: 'user', content: '[think] Why?' }],
    })
    const message = completion.choices[0]?.message as {
      reasoning_content?: string
      content: string
    }
    expect(message.reasoning_content).toMatch(reasoning)
    expect(message.content).not.toContain('Mock reasoning')
  })

  it('relays the reasoning as a thinking block on /v1/messages (Anthropic SDK)', async () => {
    const message = await anthropic(local, localKey)
      .messages.stream({
        model: 'local:mock-1',
        max_tokens: 300,
        messages: [{ role: 'user', content: '[think] Why?' }],
      })
      .finalMessage()
    expect(message.content[0]).toMatchObject({
      type: 'thinking',
      thinking: expect.stringMatching(reasoning),
    })
    expect(message.content[1]).toMatchObject({ type: 'text' })
  })
})

describe('thinking events in the run log, REST and the stored message', () => {
  it('streams thinking-delta events over REST SSE and stores the reasoning beside the answer', async () => {
    const headers = { Authorization: `Bearer ${localKey}`, 'Content-Type': 'application/json' }
    const created = await local.fetch('http://outpost.test/api/conversations', {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'thinking' }),
    })
    const { id } = (await created.json()) as { id: string }
    const response = await local.fetch(`http://outpost.test/api/conversations/${id}/messages`, {
      method: 'POST',
      headers: { ...headers, Accept: 'text/event-stream' },
      body: JSON.stringify({ content: '[think] Why is the sky blue?', model: 'local:mock-1' }),
    })
    expect(response.status).toBe(200)
    const events = (await readSse(response)).map((f) => JSON.parse(f.data) as AgentEvent)
    const types = events.map((e) => e.type)
    expect(types.indexOf('thinking-delta')).toBeGreaterThan(types.indexOf('route'))
    expect(types.lastIndexOf('thinking-delta')).toBeLessThan(types.indexOf('text-delta'))
    const thought = events
      .filter((e) => e.type === 'thinking-delta')
      .map((e) => (e as { text: string }).text)
      .join('')
    expect(thought).toMatch(reasoning)
    const end = events.at(-1) as Extract<AgentEvent, { type: 'turn-end' }>
    expect(end.type).toBe('turn-end')
    expect(end.text).not.toContain('Mock reasoning')

    await local.background.drain(2000)
    const stored = await local.fetch(`http://outpost.test/api/conversations/${id}`, { headers })
    const body = (await stored.json()) as {
      messages: { role: string; content: { type: string; text?: string }[] }[]
    }
    const answer = body.messages.find((m) => m.role === 'assistant')
    expect(answer?.content.find((p) => p.type === 'thinking')?.text).toBe(thought)
    expect(answer?.content.find((p) => p.type === 'text')?.text).toBe(end.text)
  })
})

describe('thinking over the WebSocket', () => {
  it('sends thinking-delta events as event frames', async () => {
    const { connect, background } = await createSocketApp({ LOG_LEVEL: 'error', ...claudeEnv() })
    const socket = await connect('ws-thinker')
    socket.send({ type: 'send', content: 'Why is the sky blue?' })
    const seen: AgentEvent[] = []
    for (;;) {
      const frame: ServerFrame = await socket.next((f) => f.type === 'event' || f.type === 'error')
      expect(frame.type).toBe('event')
      if (frame.type !== 'event') break
      seen.push(frame.event)
      if (frame.event.type === 'turn-end') break
    }
    const thinking = seen.filter((e) => e.type === 'thinking-delta')
    expect(thinking.map((e) => e.text).join('')).toMatch(reasoning)
    // Anthropic's signature travels with the last delta of the block.
    expect(thinking.at(-1)).toMatchObject({ text: '', signature: expect.any(String) })
    await socket.close()
    await background.drain(2000)
  })
})

describe('thinking in the chat UI', () => {
  it('streams a Thinking section without JavaScript and keeps it on reload', async () => {
    const { request, background } = setup(claudeEnv())
    const guest = await browser(request)
    const { location, conversationId } = await startChat(guest, 'Why is the sky blue?')
    const html = await (await guest.send(location)).text()
    // Live: an open section inside the streaming draft, before the answer's text.
    const live = html.indexOf('<details class="thinking" open><summary>Thinking</summary>')
    expect(live).toBeGreaterThan(html.indexOf('answer-live'))
    expect(live).toBeLessThan(html.indexOf('class="step"'))
    expect(html).toMatch(/<span>Mock <\/span><span>reasoning: <\/span>/)
    await background.drain(2000)
    const page = await (await guest.send(`/c/${conversationId}`)).text()
    const final = page.slice(page.indexOf('class="message assistant final"'))
    expect(final).toMatch(
      /<details class="thinking"><summary>Thinking<\/summary><div class="thinking-text">Mock reasoning: /,
    )
    // The reasoning is not in the rendered answer.
    const answer = final.slice(final.indexOf('class="markdown"'))
    expect(answer.slice(0, answer.indexOf('</div>'))).not.toContain('Mock reasoning')
  })

  it('swaps the Thinking section into the live answer over the htmx event stream', async () => {
    const { request } = setup(claudeEnv())
    const guest = await browser(request)
    const { conversationId, runId } = await startChat(guest, 'Why is the sky blue?')
    const stream = await guest.send(`/c/${conversationId}/runs/${runId}/events`, {
      headers: { Accept: 'text/event-stream', 'HX-Request': 'true' },
    })
    const data = frames(await stream.text()).map((f) => f.data)
    const first = data.findIndex((d) => d.includes('class="thinking"'))
    expect(data[first]).toContain(`hx-swap-oob="beforeend:#run-${runId}-body"`)
    expect(data[first]).toContain('<details class="thinking" open=""><summary>Thinking</summary>')
    expect(data[first + 1]).toContain(`hx-swap-oob="beforeend:#run-${runId}-thinking"`)
    const textAt = data.findIndex((d) => d.includes('class="step"'))
    expect(textAt).toBeGreaterThan(first)
    // The final answer keeps the reasoning, folded.
    expect(data.at(-1)).toContain('<details class="thinking"><summary>Thinking</summary>')
  })
})
