import * as z from 'zod'
import { evaluateExpression } from './expression.ts'
import { defineTool } from './tool.ts'

/** `calculator`: exact arithmetic, because models are unreliable at it. */
export const calculatorTool = defineTool({
  name: 'calculator',
  description:
    'Evaluates an arithmetic expression: + - * / % ^, parentheses, sqrt, abs, round, floor, ceil, min, max, ln, log, exp, sin, cos, tan, and the constants pi and e. Example: "round(sqrt(2) * 100, 2)".',
  input: z.object({
    expression: z.string().min(1).max(1000).describe('The expression to evaluate'),
  }),
  execute({ expression }) {
    return { expression, result: evaluateExpression(expression) }
  },
})
