import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { calculatorTool } from '../../../src/core/tools/calculator.ts'
import { currentTimeTool } from '../../../src/core/tools/current-time.ts'
import { createToolRegistry } from '../../../src/core/tools/registry.ts'
import { defineTool } from '../../../src/core/tools/tool.ts'

const fixedNow = () => Date.parse('2026-03-01T12:34:56Z')

const slowTool = defineTool({
  name: 'slow',
  description: 'never answers in time',
  input: z.object({}),
  timeoutMs: 20,
  execute: (_input, { signal }) =>
    new Promise((_, reject) =>
      signal.addEventListener('abort', () => reject(new Error('stopped'))),
    ),
})
const brokenTool = defineTool({
  name: 'broken',
  description: 'throws',
  input: z.object({}),
  execute: () => {
    throw new Error('disk on fire')
  },
})

describe('createToolRegistry', () => {
  const registry = createToolRegistry({
    tools: [calculatorTool, currentTimeTool, slowTool, brokenTool],
    now: fixedNow,
  })

  it('publishes JSON schemas derived from the zod inputs', () => {
    const calculator = registry.definitions().find((d) => d.name === 'calculator')
    expect(calculator?.inputSchema).toEqual({
      type: 'object',
      properties: {
        expression: {
          type: 'string',
          minLength: 1,
          maxLength: 1000,
          description: 'The expression to evaluate',
        },
      },
      required: ['expression'],
    })
  })

  it('runs a tool and shows the model its JSON output', async () => {
    const result = await registry.execute({
      id: 'c1',
      name: 'calculator',
      input: { expression: '6 * 7' },
    })
    expect(result).toMatchObject({
      ok: true,
      callId: 'c1',
      output: { expression: '6 * 7', result: 42 },
    })
    expect(JSON.parse(result.content)).toEqual({ expression: '6 * 7', result: 42 })
  })

  it('tells the time in a zone from the injected clock', async () => {
    const result = await registry.execute({
      id: 't',
      name: 'current_time',
      input: { timezone: 'Asia/Tokyo' },
    })
    expect(result).toMatchObject({
      ok: true,
      output: { iso: '2026-03-01T12:34:56.000Z', timezone: 'Asia/Tokyo' },
    })
    expect(result.ok && (result.output as { local: string }).local).toContain('21:34:56')
  })

  it('turns invalid input, unknown tools, throws and timeouts into error results', async () => {
    const results = await Promise.all([
      registry.execute({ id: '1', name: 'calculator', input: { expression: 5 } }),
      registry.execute({ id: '2', name: 'calculator', input: '{"expression": oops' }),
      registry.execute({ id: '3', name: 'nope', input: {} }),
      registry.execute({ id: '4', name: 'broken', input: {} }),
      registry.execute({ id: '5', name: 'slow', input: {} }),
      registry.execute({ id: '6', name: 'calculator', input: { expression: '1/0' } }),
      registry.execute({ id: '7', name: 'current_time', input: { timezone: 'Mars/Olympus' } }),
    ])
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'invalid_input',
      'invalid_input',
      'unknown_tool',
      'failed',
      'timeout',
      'failed',
      'failed',
    ])
    expect(results[0]?.content).toContain('expression')
    expect(results[3]?.content).toContain('disk on fire')
    expect(results[5]?.content).toContain('Division by zero')
  })

  it('stops a running tool when the turn is cancelled', async () => {
    const controller = new AbortController()
    const pending = registry.execute({ id: 's', name: 'slow', input: {} }, controller.signal)
    controller.abort()
    const result = await pending
    expect(result.ok ? 'ok' : result.error.code).toBe('aborted')
  })

  it('truncates huge results before the model sees them', async () => {
    const big = defineTool({
      name: 'big',
      description: 'x',
      input: z.object({}),
      execute: () => 'y'.repeat(500),
    })
    const small = createToolRegistry({ tools: [big], maxResultChars: 100 })
    const result = await small.execute({ id: 'b', name: 'big', input: {} })
    expect(result.content).toBe(`${'y'.repeat(100)}\n[truncated: 500 characters]`)
    expect(result.ok && result.output).toBe('y'.repeat(500))
  })

  it('refuses duplicate tool names', () => {
    expect(() => createToolRegistry({ tools: [calculatorTool, calculatorTool] })).toThrow(
      'Duplicate',
    )
  })
})
