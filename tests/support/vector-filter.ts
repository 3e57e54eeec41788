/**
 * The Upstash Vector metadata filter language (../shared/PROTOCOLS.md section 2): a
 * tokenizer, a recursive-descent parser (or -> and -> primary, so AND binds tighter) and an
 * evaluator over a metadata object. Comparisons on a missing field are false, negated ones
 * included, as with SQL NULL.
 */

/** A parsed filter. */
export type FilterNode =
  | { type: 'or' | 'and'; items: FilterNode[] }
  | { type: 'compare'; path: PathStep[]; op: CompareOp; value: Literal }
  | { type: 'glob'; path: PathStep[]; pattern: RegExp; negated: boolean }
  | { type: 'in'; path: PathStep[]; values: Literal[]; negated: boolean }
  | { type: 'contains'; path: PathStep[]; value: Literal; negated: boolean }
  | { type: 'has'; path: PathStep[]; negated: boolean }

type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>='
type Literal = string | number | boolean
/** An object key, an array index, or an index counted from the end (`[#-1]`). */
export type PathStep = string | { index: number; fromEnd: boolean }

/** The filter text is not valid; `position` is the offending character offset. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`)
  }
}

type Token =
  | { kind: 'word' | 'op' | 'punct'; text: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }

const wordPattern = /[a-zA-Z_][a-zA-Z_0-9.[\]#-]*/y
const numberPattern = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y
const opPattern = /!=|<=|>=|=|<|>/y

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  const sticky = (pattern: RegExp) => {
    pattern.lastIndex = i
    return pattern.exec(text)?.[0]
  }
  while (i < text.length) {
    const ch = text[i] as string
    if (/\s/.test(ch)) {
      i++
    } else if (ch === "'" || ch === '"') {
      let value = ''
      let j = i + 1
      for (; j < text.length && text[j] !== ch; j++) {
        const next = text[j + 1]
        // Backslash escapes the quote and itself; before anything else it is literal.
        if (text[j] === '\\' && (next === ch || next === '\\' || next === "'" || next === '"')) {
          value += next
          j++
        } else value += text[j]
      }
      if (j >= text.length) throw new FilterSyntaxError('Unterminated string', i)
      tokens.push({ kind: 'string', value, at: i })
      i = j + 1
    } else if ('(),'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, at: i++ })
    } else {
      const word = sticky(wordPattern) ?? sticky(numberPattern)
      const op = word === undefined ? sticky(opPattern) : undefined
      if (word !== undefined && /^[-\d]/.test(word)) {
        tokens.push({ kind: 'number', value: Number(word), at: i })
      } else if (word !== undefined) {
        tokens.push({ kind: 'word', text: word, at: i })
      } else if (op !== undefined) {
        tokens.push({ kind: 'op', text: op, at: i })
      } else throw new FilterSyntaxError(`Unexpected character ${JSON.stringify(ch)}`, i)
      i += (word ?? op ?? '').length
    }
  }
  return tokens
}

function parsePath(text: string, at: number): PathStep[] {
  const steps: PathStep[] = []
  const stepPattern = /([^.[\]]+)|\[(#-)?(\d+)\]|(\.)/g
  let consumed = 0
  for (const m of text.matchAll(stepPattern)) {
    if (m.index !== consumed) break
    consumed += m[0].length
    if (m[1] !== undefined) steps.push(m[1])
    else if (m[3] !== undefined) steps.push({ index: Number(m[3]), fromEnd: m[2] !== undefined })
  }
  if (consumed !== text.length || steps.length === 0) {
    throw new FilterSyntaxError(`Invalid field ${JSON.stringify(text)}`, at)
  }
  return steps
}

/** Parses a filter string; throws `FilterSyntaxError`. */
export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text)
  let pos = 0
  const peek = () => tokens[pos]
  const end = () => new FilterSyntaxError('Unexpected end of filter', text.length)
  const isWord = (t: Token | undefined, word: string): boolean =>
    t?.kind === 'word' && t.text.toUpperCase() === word
  const acceptWord = (word: string): boolean => {
    if (!isWord(peek(), word)) return false
    pos++
    return true
  }
  const expectWord = (word: string) => {
    if (!acceptWord(word))
      throw new FilterSyntaxError(`Expected ${word}`, peek()?.at ?? text.length)
  }
  const expectPunct = (p: string) => {
    const t = peek()
    if (t?.kind !== 'punct' || t.text !== p)
      throw new FilterSyntaxError(`Expected "${p}"`, t?.at ?? text.length)
    pos++
  }

  function literal(): Literal {
    const t = tokens[pos++]
    if (t === undefined) throw end()
    if (t.kind === 'string' || t.kind === 'number') return t.value
    if (isWord(t, 'TRUE')) return true
    if (isWord(t, 'FALSE')) return false
    throw new FilterSyntaxError('Expected a value', t.at)
  }

  function field(): PathStep[] {
    const t = tokens[pos++]
    if (t === undefined) throw end()
    if (t.kind !== 'word') throw new FilterSyntaxError('Expected a field name', t.at)
    return parsePath(t.text, t.at)
  }

  function primary(): FilterNode {
    const t = peek()
    if (t === undefined) throw end()
    if (t.kind === 'punct' && t.text === '(') {
      pos++
      const inner = or()
      expectPunct(')')
      return inner
    }
    if (isWord(t, 'HAS') && (isWord(tokens[pos + 1], 'FIELD') || isWord(tokens[pos + 1], 'NOT'))) {
      pos++
      const negated = acceptWord('NOT')
      expectWord('FIELD')
      return { type: 'has', path: field(), negated }
    }
    const path = field()
    const op = peek()
    if (op?.kind === 'op') {
      pos++
      return { type: 'compare', path, op: op.text as CompareOp, value: literal() }
    }
    const negated = acceptWord('NOT')
    if (acceptWord('GLOB')) {
      const pattern = literal()
      if (typeof pattern !== 'string')
        throw new FilterSyntaxError('GLOB needs a string', op?.at ?? 0)
      return { type: 'glob', path, pattern: globToRegExp(pattern), negated }
    }
    if (acceptWord('IN')) {
      expectPunct('(')
      const values = [literal()]
      while (peek()?.kind === 'punct' && (peek() as { text: string }).text === ',') {
        pos++
        values.push(literal())
      }
      expectPunct(')')
      return { type: 'in', path, values, negated }
    }
    if (acceptWord('CONTAINS')) return { type: 'contains', path, value: literal(), negated }
    throw new FilterSyntaxError('Expected an operator', peek()?.at ?? text.length)
  }

  function and(): FilterNode {
    const items = [primary()]
    while (acceptWord('AND')) items.push(primary())
    return items.length === 1 ? (items[0] as FilterNode) : { type: 'and', items }
  }

  function or(): FilterNode {
    const items = [and()]
    while (acceptWord('OR')) items.push(and())
    return items.length === 1 ? (items[0] as FilterNode) : { type: 'or', items }
  }

  const tree = or()
  const rest = peek()
  if (rest !== undefined) throw new FilterSyntaxError('Unexpected input', rest.at)
  return tree
}

/** Case-sensitive UNIX glob: `*`, `?`, `[abc]`, `[a-z]`, `[^...]` (and `[!...]`). */
export function globToRegExp(glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string
    if (ch === '*') source += '[\\s\\S]*'
    else if (ch === '?') source += '[\\s\\S]'
    else if (ch === '[' && glob.indexOf(']', i + 2) !== -1) {
      const close = glob.indexOf(']', i + 2)
      let body = glob.slice(i + 1, close)
      const negated = body.startsWith('^') || body.startsWith('!')
      if (negated) body = body.slice(1)
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`
      i = close
    } else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return new RegExp(`^${source}$`, 'u')
}

function resolve(metadata: unknown, path: PathStep[]): unknown {
  let value = metadata
  for (const step of path) {
    if (typeof step === 'string') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
      value = (value as Record<string, unknown>)[step]
    } else {
      if (!Array.isArray(value)) return undefined
      value = value[step.fromEnd ? value.length - step.index : step.index]
    }
  }
  return value
}

function equal(actual: unknown, literal: Literal): boolean {
  // Booleans may be written 1/0 as well as true/false.
  if (typeof actual === 'boolean' && typeof literal === 'number') return Number(actual) === literal
  return actual === literal
}

/** Whether `metadata` satisfies the filter. */
export function matchesFilter(node: FilterNode, metadata: unknown): boolean {
  switch (node.type) {
    case 'or':
      return node.items.some((item) => matchesFilter(item, metadata))
    case 'and':
      return node.items.every((item) => matchesFilter(item, metadata))
    case 'has':
      return (resolve(metadata, node.path) !== undefined) !== node.negated
  }
  const actual = resolve(metadata, node.path)
  if (actual === undefined || actual === null) return false
  switch (node.type) {
    case 'compare': {
      if (node.op === '=') return equal(actual, node.value)
      if (node.op === '!=') return !equal(actual, node.value)
      if (typeof actual !== 'number' || typeof node.value !== 'number') return false
      const [a, b] = [actual, node.value]
      return node.op === '<' ? a < b : node.op === '<=' ? a <= b : node.op === '>' ? a > b : a >= b
    }
    case 'glob':
      return typeof actual === 'string' && node.pattern.test(actual) !== node.negated
    case 'in':
      return node.values.some((value) => equal(actual, value)) !== node.negated
    case 'contains':
      return Array.isArray(actual) && actual.some((v) => equal(v, node.value)) !== node.negated
  }
}
