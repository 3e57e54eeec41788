import * as z from 'zod'
import { parseThinkingBudgets } from './models/thinking-budgets.ts'
import { parseTierSpec } from './models/tier-spec.ts'
import { def, httpUrl } from './setting-definition.ts'

/** The settings of the model providers, their tiers and the router (see core/models), in README order. */
export const modelSettings = {
  ANTHROPIC_API_KEY: def({
    schema: z.string().min(1),
    expects: 'an Anthropic API key',
    description: 'Enables Anthropic models.',
    secret: true,
  }),
  ANTHROPIC_BASE_URL: def({
    schema: httpUrl,
    expects: 'an http(s) URL',
    description: 'Alternative Anthropic-compatible endpoint (default: the official API).',
  }),
  OPENAI_API_KEY: def({
    schema: z.string().min(1),
    expects: 'an OpenAI API key',
    description: 'Enables OpenAI models.',
    secret: true,
  }),
  OPENAI_BASE_URL: def({
    schema: httpUrl,
    expects: 'an http(s) URL such as http://127.0.0.1:11434/v1',
    description: 'OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, OpenRouter).',
  }),
  LOCAL_MODEL: def({
    schema: z.string().min(1),
    default: 'llama3.2',
    expects: 'a model name served at OPENAI_BASE_URL',
    description: 'Model used at an OpenAI-compatible OPENAI_BASE_URL (Ollama, vLLM, llama.cpp).',
  }),
  MODEL_TIERS: def({
    // Parsed here, so a malformed spec stops start-up like any other bad setting.
    schema: z.string().transform((text, context) => {
      try {
        return parseTierSpec(text)
      } catch {
        context.addIssue({ code: 'custom', message: 'malformed tier spec' })
        return z.NEVER
      }
    }),
    expects:
      'tier=provider:model,... groups separated by ";" (tiers fast, smart, code, vision, local)',
    description:
      'Overrides tier candidates, best first, e.g. `fast=local:qwen2.5,anthropic:claude-haiku-4-5`.',
  }),
  THINKING_BUDGETS: def({
    schema: z.string().transform((text, context) => {
      try {
        return parseThinkingBudgets(text)
      } catch {
        context.addIssue({ code: 'custom', message: 'malformed thinking budgets' })
        return z.NEVER
      }
    }),
    expects: 'tier=tokens pairs separated by ";", tokens from 1024 to 128000',
    description:
      'Asks the tiers named for extended thinking (Anthropic) with this many reasoning tokens, e.g. `smart=4096; code=8192`. Models that reason on their own stream it regardless.',
  }),
  ROUTER_CLASSIFIER: def({
    schema: z.enum(['on', 'off']).transform((value) => value === 'on'),
    default: false,
    defaultText: 'off',
    expects: 'on or off',
    description: 'Ask the fast model to classify requests the routing heuristics are unsure about.',
  }),
}
