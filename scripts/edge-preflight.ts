// What `npm run deploy` checks before it touches anything: is the configuration valid, and
// which state would live only inside one Workers isolate (lost on recycling, not shared).
import { parseConfig } from '../src/core/config.ts'
import { ConfigError, type ConfigProblem } from '../src/core/errors.ts'

/** A piece of state that would live only inside an isolate, and why that matters. */
export interface EphemeralState {
  /** The settings that would make it durable. */
  settings: string[]
  consequence: string
}

/** What the preflight found. */
export interface PreflightReport {
  /** Invalid values (never the values themselves); deploying with any is refused. */
  problems: ConfigProblem[]
  /** State that would be per isolate; deploying needs an explicit `--accept-ephemeral`. */
  ephemeral: EphemeralState[]
  /** Worth knowing, never blocking. */
  notes: string[]
}

const edgeStores: EphemeralState[] = [
  {
    settings: ['UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN'],
    consequence:
      'working memory and the run log: a stream resumed, watched from another tab or cancelled from an isolate other than the one answering finds no run',
  },
  {
    settings: ['DATABASE_URL'],
    consequence:
      'conversations, messages and API keys: lost whenever the isolate is recycled (programs then need API_KEY_HASHES)',
  },
  {
    settings: ['UPSTASH_VECTOR_REST_URL', 'UPSTASH_VECTOR_REST_TOKEN'],
    consequence: 'semantic memory: what one isolate remembers, the others never recall',
  },
  {
    settings: ['SESSION_SECRET'],
    consequence:
      'the key that signs guest cookies: a visitor served by another isolate becomes a new guest and loses their conversations',
  },
]

/**
 * Checks the settings an operator gives for the edge. `alreadyInWorker` names secrets the
 * deployed Worker already holds (from `wrangler secret list`): they count as set, and
 * problems that only concern them ("required when ... is set") are not reported.
 */
export function edgePreflight(
  values: Record<string, string | undefined>,
  alreadyInWorker: ReadonlySet<string> = new Set(),
): PreflightReport {
  let invalid: readonly ConfigProblem[] = []
  try {
    parseConfig(values)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    invalid = error.problems
  }
  const problems = invalid.filter((p) => !alreadyInWorker.has(p.variable))
  // A setting counts when it has a valid value here, or the Worker holds it already.
  const set = (name: string) =>
    alreadyInWorker.has(name) ||
    (Boolean(values[name]?.trim()) && !invalid.some((p) => p.variable === name))
  const ephemeral = edgeStores
    .filter((store) => !store.settings.every(set))
    .map(({ settings, consequence }) => ({ settings, consequence }))
  const notes: string[] = []
  if (!['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'OPENAI_BASE_URL'].some(set)) {
    notes.push(
      'No model provider (ANTHROPIC_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL): the built-in demo model answers, labelled as such.',
    )
  }
  if (set('NEON_FETCH_ENDPOINT')) {
    notes.push(
      'NEON_FETCH_ENDPOINT is set: the Worker will send its queries there instead of Neon (meant for local development).',
    )
  }
  return { problems, ephemeral, notes }
}
