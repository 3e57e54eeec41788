import { firstPersonFacts, parseFactExtractionRequest } from '../text/fact-extraction-protocol.ts'
import { scanWindow } from '../text/scan-window.ts'
import type { ChatMessage, ChatModel, ChatRequest, ModelEvent, ToolCall } from './chat-model.ts'
import { inputSize, inputTokens } from './input-size.ts'
import { ProviderError } from './provider-error.ts'
import { abortableSleep } from './sleep.ts'

/** Options of `createDemoModel`. */
export interface DemoModelOptions {
  /** Pause between streamed words; default 35 ms, about the pace of a fast typist. */
  wordDelayMs?: number
  /** Injectable so tests run instantly; must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  newId?: () => string
}

const LABEL = '[Demo model]'
const timeQuestion =
  /\b(what(?:'s| is) the (?:time|date)|what time|current (?:time|date)|time is it|today'?s date|what day is)\b/i
const operation = /\d[ \t]{0,8}[-+*/%^][ \t]{0,8}[\d(a-z]|\b[a-z]{1,5}\(/i
const mathRun = /(?:\b(?:sqrt|abs|round|min|max|pi)\b|\d+(?:\.\d+)?|[-+*/%^(),]|[ \t])+/gi

/**
 * The built-in model used when no provider is configured: no network, clearly labelled, and
 * honest that it is canned. It exercises every part of a turn: it streams word by word, asks
 * for `current_time` when asked the time and for `calculator` when given arithmetic (when
 * those tools are offered), and then answers from the tool result.
 */
export function createDemoModel(options: DemoModelOptions = {}): ChatModel {
  const delayMs = options.wordDelayMs ?? 35
  const sleep = options.sleep ?? abortableSleep
  let counter = 0
  const newId = options.newId ?? (() => `demo_call_${++counter}`)

  async function* stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ModelEvent> {
    const aborted = () =>
      new ProviderError('provider_aborted', 'demo:demo request was cancelled', {
        provider: 'demo',
        model: 'demo',
        retryable: false,
      })
    if (signal?.aborted) throw aborted()
    const { text, call } = plan(request, newId)
    const words = text.match(/\S+\s*/g) ?? []
    for (const [index, word] of words.entries()) {
      if (index > 0) {
        try {
          await sleep(delayMs, signal)
        } catch {
          throw aborted()
        }
      }
      if (signal?.aborted) throw aborted()
      yield { type: 'text-delta', text: word }
    }
    if (call) yield { type: 'tool-call', call }
    const outputTokens = Math.ceil(
      (text.length + (call ? JSON.stringify(call.input).length : 0)) / 4,
    )
    yield { type: 'usage', inputTokens: inputTokens(inputSize(request.messages)), outputTokens }
    yield { type: 'finish', reason: call ? 'tool-calls' : 'stop' }
  }

  return { id: 'demo:demo', provider: 'demo', model: 'demo', stream }
}

function plan(request: ChatRequest, newId: () => string): { text: string; call?: ToolCall } {
  const last = request.messages.at(-1)
  if (last?.role === 'tool') return { text: fromToolResult(last) }
  // Memory's fact extraction works offline too: the demo answers it by rule, as JSON.
  const extraction = parseFactExtractionRequest(lastUserText(request.messages))
  if (extraction) return { text: JSON.stringify({ facts: firstPersonFacts(extraction) }) }
  // The patterns below look at a bounded slice; the excerpt quotes the head anyway.
  const question = scanWindow(lastUserText(request.messages))
  const offered = new Set((request.tools ?? []).map((tool) => tool.name))
  if (request.toolChoice !== 'none') {
    if (offered.has('current_time') && timeQuestion.test(question)) {
      return {
        text: `${LABEL} I cannot know the time myself, so I will ask the current_time tool. `,
        call: { id: newId(), name: 'current_time', input: {} },
      }
    }
    const expression = arithmeticIn(question)
    if (offered.has('calculator') && expression) {
      return {
        text: `${LABEL} Let me work that out with the calculator tool. `,
        call: { id: newId(), name: 'calculator', input: { expression } },
      }
    }
  }
  const excerpt = question.length > 120 ? `${question.slice(0, 117)}...` : question
  return {
    text:
      `${LABEL} This is Outpost's built-in demo model, not a real language model: no provider ` +
      `is configured, so this answer is canned. You wrote: "${excerpt}". ` +
      'Try asking "what time is it?" or "what is 12 * (3 + 4)?" to watch a tool being called. ' +
      'Set ANTHROPIC_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL to talk to a real model.',
  }
}

function fromToolResult(message: Extract<ChatMessage, { role: 'tool' }>): string {
  if (message.isError) {
    return `${LABEL} The ${message.toolName} tool failed: ${message.content}`
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(message.content)
  } catch {
    return `${LABEL} The ${message.toolName} tool answered: ${message.content}`
  }
  // JSON is not always an object: `42`, `null` and `"text"` are results too.
  const value: Record<string, unknown> =
    parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {}
  if (message.toolName === 'current_time' && typeof value.local === 'string') {
    return `${LABEL} According to the current_time tool, it is ${value.local}.`
  }
  if (message.toolName === 'calculator' && 'result' in value) {
    return `${LABEL} The calculator says ${String(value.expression)} = ${String(value.result)}.`
  }
  return `${LABEL} The ${message.toolName} tool answered: ${message.content}`
}

function lastUserText(messages: ChatMessage[]): string {
  const user = [...messages].reverse().find((m) => m.role === 'user')
  if (!user) return ''
  if (typeof user.content === 'string') return user.content
  return user.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ')
}

/** The longest run that looks like arithmetic: at least one digit and one operator. */
function arithmeticIn(text: string): string | undefined {
  const runs = (text.match(mathRun) ?? []).map((run) => run.trim())
  const candidates = runs.filter((run) => /\d/.test(run) && operation.test(run))
  return candidates.sort((a, b) => b.length - a.length)[0]
}
