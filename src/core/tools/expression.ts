import { ValidationError } from '../errors.ts'

/** An expression that does not parse or cannot be evaluated; `message` says where and why. */
export class ExpressionError extends ValidationError {
  constructor(message: string) {
    super(message, { code: 'invalid_expression' })
  }
}

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }

const functions: Record<string, { arity: [number, number]; apply: (...args: number[]) => number }> =
  {
    sqrt: { arity: [1, 1], apply: Math.sqrt },
    abs: { arity: [1, 1], apply: Math.abs },
    round: {
      arity: [1, 2],
      apply: (x, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits,
    },
    floor: { arity: [1, 1], apply: Math.floor },
    ceil: { arity: [1, 1], apply: Math.ceil },
    min: { arity: [1, 64], apply: Math.min },
    max: { arity: [1, 64], apply: Math.max },
    ln: { arity: [1, 1], apply: Math.log },
    log: { arity: [1, 2], apply: (x, base = 10) => Math.log(x) / Math.log(base) },
    exp: { arity: [1, 1], apply: Math.exp },
    sin: { arity: [1, 1], apply: Math.sin },
    cos: { arity: [1, 1], apply: Math.cos },
    tan: { arity: [1, 1], apply: Math.tan },
  }
const constants: Record<string, number> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI }

const MAX_LENGTH = 1000
const MAX_DEPTH = 64

/**
 * Evaluates an arithmetic expression with a recursive-descent parser (never `eval`):
 * `+ - * / % ^` (power is right-associative and binds tighter than unary minus, so
 * `-2^2` is -4), parentheses, functions (sqrt, abs, round, floor, ceil, min, max, ln, log,
 * exp, sin, cos, tan) and constants (pi, e, tau). Throws `ExpressionError`.
 */
export function evaluateExpression(source: string): number {
  if (source.length > MAX_LENGTH)
    throw new ExpressionError(`Expression longer than ${MAX_LENGTH} characters`)
  const tokens = tokenize(source)
  let position = 0
  let depth = 0

  const peek = () => tokens[position]
  const isOp = (value: string) => {
    const token = peek()
    return token?.kind === 'op' && token.value === value
  }
  const expect = (value: string) => {
    if (!isOp(value)) throw new ExpressionError(`Expected "${value}" ${where(peek())}`)
    position += 1
  }
  const nested = <T>(parse: () => T): T => {
    depth += 1
    if (depth > MAX_DEPTH) throw new ExpressionError('Expression is nested too deeply')
    try {
      return parse()
    } finally {
      depth -= 1
    }
  }

  const expression = (): number =>
    nested(() => {
      let value = term()
      while (isOp('+') || isOp('-')) {
        const op = (tokens[position++] as Token).value
        const right = term()
        value = op === '+' ? value + right : value - right
      }
      return value
    })

  const term = (): number => {
    let value = unary()
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = (tokens[position++] as Token).value
      const right = unary()
      if ((op === '/' || op === '%') && right === 0) throw new ExpressionError('Division by zero')
      value = op === '*' ? value * right : op === '/' ? value / right : value % right
    }
    return value
  }

  const unary = (): number =>
    nested(() => {
      if (isOp('-')) {
        position += 1
        return -unary()
      }
      if (isOp('+')) {
        position += 1
        return unary()
      }
      return power()
    })

  const power = (): number => {
    const base = primary()
    if (!isOp('^')) return base
    position += 1
    return base ** unary()
  }

  const primary = (): number => {
    const token = peek()
    if (!token) throw new ExpressionError('Unexpected end of expression')
    position += 1
    if (token.kind === 'number') return token.value
    if (token.kind === 'op' && token.value === '(') {
      const value = expression()
      expect(')')
      return value
    }
    if (token.kind === 'name') {
      const name = token.value.toLowerCase()
      const fn = Object.hasOwn(functions, name) ? functions[name] : undefined
      if (fn) {
        expect('(')
        const args = [expression()]
        while (isOp(',')) {
          position += 1
          args.push(expression())
        }
        expect(')')
        const [least, most] = fn.arity
        if (args.length < least || args.length > most) {
          throw new ExpressionError(
            `${name} takes ${least === most ? least : `${least} to ${most}`} arguments`,
          )
        }
        return fn.apply(...args)
      }
      const constant = Object.hasOwn(constants, name) ? constants[name] : undefined
      if (constant !== undefined) return constant
      throw new ExpressionError(`Unknown name "${token.value}" ${where(token)}`)
    }
    throw new ExpressionError(`Unexpected "${token.value}" ${where(token)}`)
  }

  if (tokens.length === 0) throw new ExpressionError('Empty expression')
  const value = expression()
  if (position < tokens.length)
    throw new ExpressionError(`Unexpected "${tokens[position]?.value}" ${where(tokens[position])}`)
  if (!Number.isFinite(value)) throw new ExpressionError('The result is not a finite number')
  return value
}

function where(token: Token | undefined): string {
  return token ? `at position ${token.at + 1}` : 'at the end'
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  const pattern =
    /\s*(?:(\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|([a-z_][a-z0-9_]*)|([-+*/%^(),]))/iy
  let at = 0
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break
    pattern.lastIndex = at
    const match = pattern.exec(source)
    if (!match) {
      const offset = at + (source.slice(at).length - source.slice(at).trimStart().length)
      throw new ExpressionError(
        `Unexpected character "${source[offset]}" at position ${offset + 1}`,
      )
    }
    const start = at + match[0].length - (match[1] ?? match[2] ?? match[3] ?? '').length
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]), at: start })
    else if (match[2] !== undefined) tokens.push({ kind: 'name', value: match[2], at: start })
    else tokens.push({ kind: 'op', value: match[3] as string, at: start })
    at = pattern.lastIndex
  }
  return tokens
}
