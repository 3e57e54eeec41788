import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { AgentEvent } from '../../../src/core/agent/agent-event.ts'
import type { ApprovalVerdict, Approver } from '../../../src/core/agent/approver.ts'
import { runTurn, type TurnDeps } from '../../../src/core/agent/run-turn.ts'
import { createCatalog } from '../../../src/core/models/catalog.ts'
import { createModelProvider } from '../../../src/core/models/model-provider.ts'
import { createRouter } from '../../../src/core/models/router.ts'
import { calculatorTool } from '../../../src/core/tools/calculator.ts'
import { createToolRegistry } from '../../../src/core/tools/registry.ts'
import { defineTool } from '../../../src/core/tools/tool.ts'
import { collect } from '../../support/collect.ts'

// A destructive twin of the calculator: the demo model calls `calculator` for arithmetic.
let ran = 0
const destructiveCalculator = defineTool({
  ...calculatorTool,
  input: z.object({ expression: z.string() }),
  destructive: true,
  execute: (input, context) => {
    ran++
    return calculatorTool.execute(input, context)
  },
})

const deps = (overrides: Partial<TurnDeps> = {}): TurnDeps => {
  const catalog = createCatalog({})
  return {
    router: createRouter({ catalog }),
    models: createModelProvider({ catalog, demo: { wordDelayMs: 0, sleep: async () => {} } }),
    tools: createToolRegistry({ tools: [destructiveCalculator] }),
    now: () => 1000,
    ...overrides,
  }
}
const answering = (verdict: ApprovalVerdict | 'cancelled', opened: string[] = []): Approver => ({
  timeoutMs: 60_000,
  open: async (request) => {
    opened.push(request.callId)
  },
  wait: async () => verdict,
})
const question = { message: 'what is 12 * (3 + 4)?' }
const endOf = (events: AgentEvent[]) => events.at(-1) as Extract<AgentEvent, { type: 'turn-end' }>

describe('runTurn with a tool that needs approval', () => {
  it('marks tools by `destructive` or by name', () => {
    const registry = createToolRegistry({
      tools: [destructiveCalculator, { ...calculatorTool, name: 'listed' }],
      requireApproval: ['listed'],
    })
    expect(registry.needsApproval('calculator')).toBe(true)
    expect(registry.needsApproval('listed')).toBe(true)
    expect(createToolRegistry({ tools: [calculatorTool] }).needsApproval('calculator')).toBe(false)
  })

  it('opens the request before announcing it, then runs the tool once approved', async () => {
    ran = 0
    const opened: string[] = []
    const events = await collect(
      runTurn(deps({ approver: answering({ decision: 'approve', by: 'user' }, opened) }), question),
    )
    const types = events.map((e) => e.type)
    expect(types.indexOf('tool-call')).toBeLessThan(types.indexOf('approval-request'))
    expect(types.indexOf('approval')).toBeLessThan(types.indexOf('tool-result'))
    const asked = events.find((e) => e.type === 'approval-request')
    expect(asked).toMatchObject({ name: 'calculator', deadline: 61_000 })
    expect(opened).toEqual([(asked as { id: string }).id])
    expect(ran).toBe(1)
    expect(endOf(events).text).toContain('= 84')
  })

  it('does not run a denied tool; the model is told', async () => {
    ran = 0
    const events = await collect(
      runTurn(deps({ approver: answering({ decision: 'deny', by: 'timeout' }) }), question),
    )
    expect(ran).toBe(0)
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({
      ok: false,
      content: expect.stringContaining('Nobody approved this tool call in time'),
    })
    expect(endOf(events)).toMatchObject({ reason: 'done' })
  })

  it('denies without asking when the run has no way to ask', async () => {
    ran = 0
    const events = await collect(runTurn(deps(), question))
    expect(ran).toBe(0)
    expect(events.some((e) => e.type === 'approval-request')).toBe(false)
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({ ok: false })
  })

  it('ends cancelled when cancelled while waiting', async () => {
    ran = 0
    const events = await collect(runTurn(deps({ approver: answering('cancelled') }), question))
    expect(ran).toBe(0)
    expect(endOf(events)).toMatchObject({ reason: 'cancelled' })
  })
})
