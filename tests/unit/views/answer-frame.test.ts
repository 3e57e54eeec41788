import { describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../../src/core/agent/agent-event.ts'
import { answerFrame } from '../../../src/views/answer-frame.tsx'
import { newAnswerState } from '../../../src/views/answer-state.ts'

const usage = { inputTokens: 3, outputTokens: 4, costUsd: 0.001 }

async function render(events: AgentEvent[]) {
  const state = newAnswerState()
  const frames: string[] = []
  for (const event of events) {
    const frame = answerFrame('r1', state, event)
    frames.push(frame === null ? '' : String(await frame.toString()))
  }
  return frames
}

describe('answerFrame', () => {
  it('creates a step on its first text, appends to it after, and escapes model text', async () => {
    const [first, second] = await render([
      { type: 'text-delta', step: 1, text: 'Hello <b>' },
      { type: 'text-delta', step: 1, text: ' & bye' },
    ])
    expect(first).toBe(
      '<div hx-swap-oob="beforeend:#run-r1-body"><div class="step" id="run-r1-s1">Hello &lt;b&gt;</div></div>',
    )
    expect(second).toBe('<span hx-swap-oob="beforeend:#run-r1-s1"> &amp; bye</span>')
  })

  it('voids a restarted step (removes it, says why) and starts it again', async () => {
    const frames = await render([
      { type: 'text-delta', step: 1, text: 'draft' },
      {
        type: 'retry',
        step: 1,
        from: 'a:x',
        to: 'b:y',
        restart: true,
        waitMs: 0,
        error: { code: 'rate_limited', message: 'busy' },
      },
      { type: 'text-delta', step: 1, text: 'again' },
    ])
    expect(frames[1]).toContain('<div id="run-r1-s1" hx-swap-oob="delete"></div>')
    expect(frames[1]).toContain('a:x failed (busy); trying b:y')
    expect(frames[2]).toContain('<div class="step" id="run-r1-s1">again</div>')
  })

  it('shows tool cards, fills in results, and ends with the final answer out of band', async () => {
    const frames = await render([
      {
        type: 'route',
        tier: 'fast',
        intent: 'chat',
        complexity: 'low',
        reason: 'small talk',
        source: 'heuristic',
        candidates: ['demo:demo'],
      } as AgentEvent,
      { type: 'tool-call', step: 1, id: 'c 1', name: 'calculator', input: { e: '1+1' } },
      {
        type: 'tool-result',
        step: 1,
        id: 'c 1',
        name: 'calculator',
        ok: true,
        content: '2',
        durationMs: 1,
      },
      { type: 'usage', step: 2, model: 'demo:demo', ...usage },
      {
        type: 'turn-end',
        reason: 'done',
        text: '**Two**',
        model: 'demo:demo',
        steps: 2,
        usage,
      },
    ])
    expect(frames[0]).toContain('id="run-r1-badge" hx-swap-oob="true"')
    expect(frames[0]).toContain('small talk')
    expect(frames[1]).toContain('id="run-r1-t-c_1"')
    expect(frames[2]).toContain('data-tool-state="ok"')
    expect(frames[2]).toContain('hx-swap-oob="true"')
    expect(frames[3]).toBe('')
    expect(frames[4]).toMatch(/^<article class="message assistant final" id="run-r1"/)
    expect(frames[4]).toContain('<strong>Two</strong>')
    expect(frames[4]).toContain('demo:demo')
    expect(frames[4]).toContain('small talk')
    expect(frames[4]).toContain('calculator')
  })
})
