// Generates the settings files that sit beside the README table, from the same source
// (src/core/config-settings.ts): `.dev.vars.example` and package.json's `cloudflare.bindings`,
// which Cloudflare's "Deploy to Workers" button reads to ask for each value with its
// description. `npm run docs:config` rewrites them; tests/unit/config-files.test.ts fails when
// they drift apart.
import { type SettingDefinition, settings } from '../src/core/config-settings.ts'

/**
 * What the Deploy button asks for: the edge stores (without them state lives only inside an
 * isolate, see scripts/edge-preflight.ts), the cookie key and the model providers. The other
 * settings are listed too, commented out, with their defaults.
 */
export const askedAtDeploy = [
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  'DATABASE_URL',
  'UPSTASH_VECTOR_REST_URL',
  'UPSTASH_VECTOR_REST_TOKEN',
  'SESSION_SECRET',
  'ANTHROPIC_API_KEY',
  'OPENAI_API_KEY',
] as const satisfies ReadonlyArray<keyof typeof settings>

const definitions = () =>
  Object.entries(settings) as Array<[keyof typeof settings, SettingDefinition<unknown>]>

const optionalAtDeploy = new Set(['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'])

/** One line a person can act on: what it does, then what to write. */
function describe(name: string, definition: SettingDefinition<unknown>): string {
  const optional = optionalAtDeploy.has(name)
    ? ' Optional: with neither model key, the built-in demo model answers.'
    : ''
  return `${definition.description} Expects ${definition.expects}.${optional}`
}

/** `.dev.vars.example`: every setting with its description; the asked ones uncommented. */
export function devVarsExample(): string {
  const lines = [
    '# Outpost settings for Cloudflare Workers: copy to .dev.vars for `npm run dev:workers`, or',
    '# give them to `npm run deploy` (environment or --env-file). Generated from',
    '# src/core/config-settings.ts by `npm run docs:config`; see the README table.',
    '# The uncommented ones are asked for by the Deploy to Workers button; empty means unset.',
  ]
  for (const [name, definition] of definitions()) {
    const shown = definition.defaultText ?? definition.default
    lines.push('', `# ${describe(name, definition)}${definition.secret ? ' Secret.' : ''}`)
    if ((askedAtDeploy as readonly string[]).includes(name)) lines.push(`${name}=`)
    else lines.push(`# ${name}=${shown === undefined ? '' : String(shown)}`)
  }
  return `${lines.join('\n')}\n`
}

/** package.json's `cloudflare.bindings`: a description per setting the button asks for. */
export function cloudflareBindings(): Record<string, { description: string }> {
  return Object.fromEntries(
    askedAtDeploy.map((name) => [
      name,
      { description: describe(name, settings[name] as SettingDefinition<unknown>) },
    ]),
  )
}
