import type { z } from 'zod'
import { type SettingDefinition, settingPairs, settings } from './config-settings.ts'
import { ConfigError, type ConfigProblem } from './errors.ts'
import { describeMcpServersIssues, substituteHeaders } from './mcp/mcp-server-config.ts'

type Settings = typeof settings
type ValueOf<D> = D extends { schema: z.ZodType<infer T> } ? T : never

/**
 * The parsed configuration: one field per variable in `config-settings.ts`. Settings with a
 * default are always present; the others are `undefined` when unset.
 */
export type Config = {
  readonly [K in keyof Settings]: Settings[K] extends { default: unknown }
    ? ValueOf<Settings[K]>
    : ValueOf<Settings[K]> | undefined
}

/** The bindings record every runtime hands the app (`c.env`): strings, or platform objects. */
export type Bindings = Record<string, unknown>

/**
 * Reads every setting from the bindings. Unset and empty values take their defaults. Throws a
 * `ConfigError` that names each offending variable and what it expects, without its value.
 * This is the only place in `src/` that names environment variables.
 */
export function parseConfig(bindings: Bindings): Config {
  const problems: ConfigProblem[] = []
  const values: Record<string, unknown> = {}

  for (const [name, definition] of Object.entries(settings) as Array<
    [string, SettingDefinition<unknown>]
  >) {
    const raw = bindings[name]
    const text = typeof raw === 'string' ? raw.trim() : raw
    if (text === undefined || text === null || text === '') {
      values[name] = definition.default
      continue
    }
    if (typeof text !== 'string') {
      problems.push({ variable: name, expected: `${definition.expects} (got a non-text binding)` })
      continue
    }
    const parsed = definition.schema.safeParse(text)
    if (parsed.success) values[name] = parsed.data
    else if (name === 'MCP_SERVERS') {
      // A JSON setting is only fixable when the message says where it is wrong.
      const where = describeMcpServersIssues(parsed.error)
      problems.push({ variable: name, expected: `${definition.expects} (${where})` })
    } else problems.push({ variable: name, expected: definition.expects })
  }

  if (Array.isArray(values.MCP_SERVERS)) {
    const { servers, missing } = substituteHeaders(values.MCP_SERVERS, (variable) => {
      const value = bindings[variable]
      return typeof value === 'string' ? value : undefined
    })
    values.MCP_SERVERS = servers
    for (const variable of missing) {
      problems.push({
        variable: 'MCP_SERVERS',
        expected: `\${${variable}} in a header, but ${variable} is unset`,
      })
    }
  }

  for (const [first, second] of settingPairs) {
    const hasFirst = values[first] !== undefined || problems.some((p) => p.variable === first)
    const hasSecond = values[second] !== undefined || problems.some((p) => p.variable === second)
    if (hasFirst && !hasSecond) {
      problems.push({ variable: second, expected: `required when ${first} is set` })
    } else if (hasSecond && !hasFirst) {
      problems.push({ variable: first, expected: `required when ${second} is set` })
    }
  }

  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(values) as Config
}

/** Names of the settings whose values must never be shown. */
export const secretSettings: ReadonlySet<string> = new Set(
  Object.entries(settings)
    .filter(([, definition]) => (definition as SettingDefinition<unknown>).secret)
    .map(([name]) => name),
)
