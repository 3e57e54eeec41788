import type { ChatModel } from './chat-model.ts'
import type { Intent } from './intent.ts'
import type { IntentClassifier } from './router.ts'

const intents: readonly Intent[] = ['code', 'reasoning', 'writing', 'chat']

/**
 * An `IntentClassifier` that asks a (fast, cheap) model for one word. Used by the router only
 * when its heuristics are unsure, so it costs a round trip on a minority of requests. Pass a
 * function to resolve the model lazily (on first use).
 */
export function createModelClassifier(
  source: ChatModel | (() => Promise<ChatModel>),
): IntentClassifier {
  return async (text, signal) => {
    const model = typeof source === 'function' ? await source() : source
    const prompt =
      'Classify the request below by what it needs. Answer with exactly one word: ' +
      'code (programming, software, computers), reasoning (analysis, math, decisions, ' +
      'arguments), writing (producing or editing text for someone), or chat (small talk, ' +
      `quick facts, recommendations).\n\nRequest: ${text.slice(0, 2000)}`
    let answer = ''
    for await (const event of model.stream(
      { messages: [{ role: 'user', content: prompt }], maxTokens: 5, temperature: 0 },
      signal,
    )) {
      if (event.type === 'text-delta') answer += event.text
    }
    const word = answer.toLowerCase().match(/[a-z]+/)?.[0]
    return intents.find((intent) => intent === word)
  }
}
