import { AppError } from '../errors.ts'
import type { ChatMessage } from './chat-model.ts'
import { type Complexity, guessIntent, type Intent, lastUserContent } from './intent.ts'
import type { CatalogEntry, ModelCatalog, Tier } from './model-catalog.ts'
import { tiers } from './model-catalog.ts'

/** What the router looks at. An explicit `model` beats an explicit `tier` beats heuristics. */
export interface RouteRequest {
  messages: readonly ChatMessage[]
  /** A `provider:model` id the caller insists on. */
  model?: string
  tier?: Tier
}

/** The router's decision: where to send the request, and why, in words a person can read. */
export interface RouteDecision {
  tier: Tier
  /** The heuristic guess; absent when the caller named the model (nothing is guessed then). */
  intent?: Intent
  complexity?: Complexity
  /** Ordered, best first; fallback walks this list. */
  candidates: CatalogEntry[]
  reason: string
  source: 'model' | 'tier' | 'heuristic' | 'classifier'
  confidence?: number
}

/** Chooses candidates for a request. */
export interface Router {
  route(request: RouteRequest, signal?: AbortSignal): Promise<RouteDecision>
}

/** Asks a model to name the intent when heuristics are unsure; `undefined` means no idea. */
export type IntentClassifier = (text: string, signal?: AbortSignal) => Promise<Intent | undefined>

/** Options of `createRouter`. */
export interface RouterOptions {
  catalog: ModelCatalog
  /** Consulted only when the heuristic confidence is below `unsureBelow`; never by default. */
  classify?: IntentClassifier
  unsureBelow?: number
}

/** Which tier serves an intent at a complexity. */
export function tierFor(intent: Intent, complexity: Complexity): Tier {
  if (intent === 'code') return 'code'
  if (intent === 'vision') return 'vision'
  if (intent === 'reasoning') return 'smart'
  if (intent === 'writing') return complexity === 'low' ? 'fast' : 'smart'
  return complexity === 'high' ? 'smart' : 'fast'
}

/**
 * A router over a catalog: heuristics first (no network), an optional model classifier for
 * the unsure cases, and explicit choices always honoured. A classifier failure is not fatal:
 * the heuristic guess stands.
 */
export function createRouter(options: RouterOptions): Router {
  const { catalog } = options
  const unsureBelow = options.unsureBelow ?? 0.5

  async function route(request: RouteRequest, signal?: AbortSignal): Promise<RouteDecision> {
    // A named model is routing's answer already: guessing the intent would be wasted work.
    if (request.model) {
      const entry = catalog.get(request.model)
      if (!entry) {
        throw new AppError('model_unknown', `Model "${request.model}" is not available here`, {
          status: 400,
          expose: true,
        })
      }
      const tier = tiers.find((t) => catalog.tiers[t].some((e) => e.id === entry.id)) ?? 'smart'
      return {
        tier,
        candidates: [entry],
        reason: `${entry.id}, as requested`,
        source: 'model',
      }
    }
    const { text, hasImage } = lastUserContent(request.messages)
    const guess = guessIntent(text, hasImage)
    const base = {
      intent: guess.intent,
      complexity: guess.complexity,
      confidence: guess.confidence,
    }
    if (request.tier) {
      return {
        ...base,
        tier: request.tier,
        candidates: [...catalog.tiers[request.tier]],
        reason: `the ${request.tier} tier, as requested`,
        source: 'tier',
      }
    }

    let intent = guess.intent
    let source: RouteDecision['source'] = 'heuristic'
    if (options.classify && guess.confidence < unsureBelow && !hasImage) {
      const answer = await options.classify(text, signal).catch(() => undefined)
      if (answer && answer !== 'vision') {
        intent = answer
        source = 'classifier'
      }
    }
    const tier = tierFor(intent, guess.complexity)
    const why =
      source === 'classifier'
        ? `the fast model classified it as ${intent}`
        : `${describe(intent)} (${guess.signals.join(', ')})`
    return {
      ...base,
      intent,
      tier,
      candidates: [...catalog.tiers[tier]],
      reason: `${why}, ${guess.complexity} complexity: ${tier} tier`,
      source,
    }
  }

  return { route }
}

function describe(intent: Intent): string {
  const words: Record<Intent, string> = {
    code: 'looks like a programming question',
    vision: 'has an image to look at',
    reasoning: 'needs careful reasoning',
    writing: 'asks for writing',
    chat: 'looks like quick chat',
  }
  return words[intent]
}
