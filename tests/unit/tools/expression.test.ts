import { describe, expect, it } from 'vitest'
import { ExpressionError, evaluateExpression } from '../../../src/core/tools/expression.ts'

describe('evaluateExpression', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 / 4', 2.5],
    ['10 % 4', 2],
    ['2 ^ 10', 1024],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['2 ^ -1', 0.5],
    ['--3', 3],
    ['-(4 - 6) * +3', 6],
    ['1 - 2 - 3', -4],
    ['64 / 4 / 2', 8],
    ['sqrt(16) + abs(-3)', 7],
    ['round(3.14159, 2)', 3.14],
    ['round(2.5)', 3],
    ['min(4, 2, 8) + max(1, 9)', 11],
    ['floor(2.7) + ceil(2.1)', 5],
    ['log(1000)', 3],
    ['log(8, 2)', 3],
    ['ln(e)', 1],
    ['2 * pi', 2 * Math.PI],
    ['1.5e3 + .5', 1500.5],
    ['  7  ', 7],
    ['SQRT(9)', 3],
  ])('%s = %d', (source, expected) => {
    expect(evaluateExpression(source)).toBeCloseTo(expected, 10)
  })

  it.each([
    ['', 'Empty expression'],
    ['1 +', 'Unexpected end of expression'],
    ['(1 + 2', 'Expected ")" at the end'],
    ['1 / 0', 'Division by zero'],
    ['5 % 0', 'Division by zero'],
    ['2 3', 'Unexpected "3" at position 3'],
    ['foo(1)', 'Unknown name "foo" at position 1'],
    ['1 # 2', 'Unexpected character "#" at position 3'],
    ['sqrt(1, 2)', 'sqrt takes 1 arguments'],
    ['sqrt(-1)', 'The result is not a finite number'],
    ['10 ^ 400', 'The result is not a finite number'],
  ])('rejects %j', (source, message) => {
    expect(() => evaluateExpression(source)).toThrow(ExpressionError)
    expect(() => evaluateExpression(source)).toThrow(message)
  })

  it('refuses deep nesting and long input instead of overflowing the stack', () => {
    expect(() => evaluateExpression(`${'('.repeat(200)}1${')'.repeat(200)}`)).toThrow(
      'nested too deeply',
    )
    expect(() => evaluateExpression(`${'-'.repeat(500)}1`)).toThrow('nested too deeply')
    expect(() => evaluateExpression(`${'1+'.repeat(600)}1`)).toThrow('longer than')
  })

  it('never evaluates JavaScript', () => {
    expect(() => evaluateExpression('process.exit(1)')).toThrow(ExpressionError)
    expect(() => evaluateExpression('constructor')).toThrow('Unknown name')
  })
})
