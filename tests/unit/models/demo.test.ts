import { describe, expect, it } from 'vitest'
import type { ChatRequest, ModelEvent } from '../../../src/core/models/chat-model.ts'
import { createDemoModel } from '../../../src/core/models/demo.ts'
import { collect, collectUntilError } from '../../support/collect.ts'

const tools = [
  { name: 'current_time', description: 'time', inputSchema: { type: 'object' } },
  { name: 'calculator', description: 'math', inputSchema: { type: 'object' } },
]
const textOf = (events: ModelEvent[]) =>
  events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('')

describe('createDemoModel', () => {
  const pauses: number[] = []
  const model = createDemoModel({ wordDelayMs: 40, sleep: async (ms) => void pauses.push(ms) })
  const ask = (request: ChatRequest) => collect(model.stream(request))

  it('streams a labelled answer word by word at a human pace', async () => {
    pauses.length = 0
    const events = await ask({ messages: [{ role: 'user', content: 'Tell me about Lisbon' }] })
    const deltas = events.filter((e) => e.type === 'text-delta')
    expect(deltas.length).toBeGreaterThan(10)
    expect(pauses.length).toBe(deltas.length - 1)
    expect(pauses.every((ms) => ms === 40)).toBe(true)
    expect(textOf(events)).toMatch(/^\[Demo model\]/)
    expect(textOf(events)).toContain('Tell me about Lisbon')
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
    expect(events.at(-2)).toMatchObject({ type: 'usage' })
  })

  it('asks for current_time when asked the time, and answers from the result', async () => {
    const first = await ask({ messages: [{ role: 'user', content: 'What time is it?' }], tools })
    const call = first.find((e) => e.type === 'tool-call')
    expect(call).toMatchObject({ call: { name: 'current_time', input: {} } })
    expect(first.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' })
    const local = 'Sunday 1 March 2026 at 12:00:00 UTC'
    const second = await ask({
      messages: [
        { role: 'user', content: 'What time is it?' },
        {
          role: 'assistant',
          content: textOf(first),
          toolCalls: [call?.type === 'tool-call' ? call.call : { id: '', name: '', input: {} }],
        },
        {
          role: 'tool',
          toolCallId: 'x',
          toolName: 'current_time',
          content: JSON.stringify({ local }),
        },
      ],
      tools,
    })
    expect(textOf(second)).toBe(`[Demo model] According to the current_time tool, it is ${local}.`)
  })

  it('extracts the arithmetic for the calculator', async () => {
    const events = await ask({
      messages: [{ role: 'user', content: 'Hey, what is 12 * (3 + 4) please?' }],
      tools,
    })
    expect(events.find((e) => e.type === 'tool-call')).toMatchObject({
      call: { name: 'calculator', input: { expression: '12 * (3 + 4)' } },
    })
    const after = await ask({
      messages: [
        {
          role: 'tool',
          toolCallId: 'x',
          toolName: 'calculator',
          content: '{"expression":"12 * (3 + 4)","result":84}',
        },
      ],
    })
    expect(textOf(after)).toContain('12 * (3 + 4) = 84')
  })

  it('does not call tools that are not offered, and reports tool errors', async () => {
    const events = await ask({ messages: [{ role: 'user', content: 'What time is it?' }] })
    expect(events.some((e) => e.type === 'tool-call')).toBe(false)
    const failed = await ask({
      messages: [
        {
          role: 'tool',
          toolCallId: 'x',
          toolName: 'calculator',
          content: 'Division by zero',
          isError: true,
        },
      ],
    })
    expect(textOf(failed)).toContain('calculator tool failed: Division by zero')
  })

  it('answers from a tool result that is JSON but not an object (42, null, a string)', async () => {
    for (const content of ['42', 'null', '"text"', '[1,2]']) {
      const events = await ask({
        messages: [{ role: 'tool', toolCallId: 'x', toolName: 'calculator', content }],
      })
      expect(textOf(events)).toContain(`calculator tool answered: ${content}`)
    }
  })

  it('stops promptly when aborted', async () => {
    const controller = new AbortController()
    const slow = createDemoModel({
      sleep: (_ms, signal) =>
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
    })
    const pending = collectUntilError(
      slow.stream({ messages: [{ role: 'user', content: 'hi' }] }, controller.signal),
    )
    await new Promise((resolve) => setTimeout(resolve, 5))
    controller.abort()
    const { events, error } = await pending
    expect(events).toHaveLength(1)
    expect(error).toMatchObject({ code: 'provider_aborted' })
  })
})
