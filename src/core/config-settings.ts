import * as z from 'zod'
import { limitSettings } from './limit-settings.ts'
import { mcpServerSettings } from './mcp-server-settings.ts'
import { modelSettings } from './model-settings.ts'
import { def, httpUrl, integer, type SettingDefinition } from './setting-definition.ts'
import { toolSettings } from './tool-settings.ts'

export type { SettingDefinition }

const guardPolicy = z.enum(['block', 'flag', 'off'])

const postgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value)
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== ''
  } catch {
    return false
  }
})

/** Every variable Outpost reads, in README order. */
export const settings = {
  HOST: def({
    schema: z.string().min(1),
    default: '127.0.0.1',
    expects: 'a host name or IP address',
    description: 'Address to listen on (Bun, Deno, Node; wrangler takes `--ip`).',
  }),
  PORT: def({
    schema: integer(1, 65535),
    default: 8787,
    expects: 'an integer from 1 to 65535',
    description: 'Port to listen on (Bun, Deno, Node; wrangler takes `--port`).',
  }),
  LOG_LEVEL: def({
    schema: z.enum(['debug', 'info', 'warn', 'error']),
    default: 'info',
    expects: 'one of debug, info, warn, error',
    description: 'Lowest level written to the log.',
  }),
  MAX_BODY_BYTES: def({
    schema: integer(1024, 64 * 1024 * 1024),
    default: 1024 * 1024,
    expects: 'an integer number of bytes from 1024 to 67108864',
    description: 'Largest accepted request body; larger ones get 413.',
  }),
  IMAGE_MAX_BYTES: def({
    schema: integer(1024, 20 * 1024 * 1024),
    default: 700 * 1024,
    expects: 'an integer number of bytes from 1024 to 20971520',
    description:
      'Largest image a message may attach (PNG, JPEG, WebP, GIF; four at most). The request carrying it must fit `MAX_BODY_BYTES` (base64 in JSON adds a third), so raise both together.',
  }),
  READY_TIMEOUT_MS: def({
    schema: integer(50, 30_000),
    default: 2000,
    expects: 'an integer number of milliseconds from 50 to 30000',
    description: 'How long `/readyz` waits for each store and provider.',
  }),
  STREAM_HEARTBEAT_MS: def({
    schema: integer(100, 60000),
    default: 5000,
    expects: 'an integer number of milliseconds from 100 to 60000',
    description:
      'Silence after which an event stream sends a keep-alive (an SSE comment, or an HTML comment on the no-JavaScript run page), so proxies and idle timeouts never cut a thinking model.',
  }),
  IDLE_TIMEOUT_SECONDS: def({
    schema: integer(10, 255),
    default: 120,
    expects: 'an integer number of seconds from 10 to 255',
    description:
      'Bun closes a connection that sends and receives nothing for this long (Bun allows at most 255); streams stay alive through their heartbeats.',
  }),
  DATA_DIR: def({
    schema: z.string().min(1),
    default: '.data',
    expects: 'a directory path',
    description: 'Where embedded stores and generated secrets live (Bun, Deno, Node).',
  }),
  UPSTASH_REDIS_REST_URL: def({
    schema: httpUrl,
    expects: 'an http(s) URL such as https://example.upstash.io',
    description: 'Upstash Redis REST endpoint: working memory, run log, rate limits, cache.',
  }),
  UPSTASH_REDIS_REST_TOKEN: def({
    schema: z.string().min(1),
    expects: 'the REST token of that database (required with UPSTASH_REDIS_REST_URL)',
    description: 'Token for UPSTASH_REDIS_REST_URL.',
    secret: true,
  }),
  DATABASE_URL: def({
    schema: postgresUrl,
    expects: 'a postgres:// or postgresql:// connection string',
    description: 'Neon (or any PostgreSQL) database for conversation history.',
    secret: true,
  }),
  NEON_FETCH_ENDPOINT: def({
    schema: httpUrl,
    expects: 'an http(s) URL of a Neon-compatible /sql endpoint',
    description:
      "Sends DATABASE_URL's HTTP queries here instead of Neon's API host: for a local Neon proxy in development.",
  }),
  UPSTASH_VECTOR_REST_URL: def({
    schema: httpUrl,
    expects: 'an http(s) URL such as https://example-vector.upstash.io',
    description: 'Upstash Vector REST endpoint: semantic memory.',
  }),
  UPSTASH_VECTOR_REST_TOKEN: def({
    schema: z.string().min(1),
    expects: 'the REST token of that index (required with UPSTASH_VECTOR_REST_URL)',
    description: 'Token for UPSTASH_VECTOR_REST_URL.',
    secret: true,
  }),
  EMBEDDING_MODEL: def({
    schema: z.string().min(1),
    expects: 'an embedding model name, such as text-embedding-3-small or all-minilm',
    description:
      'Embeds semantic memory with this model at OPENAI_BASE_URL (or OpenAI); it must give 384 dimensions (OpenAI is asked for 384). Unset: the built-in hashing embedder.',
  }),
  ...modelSettings,
  AGENT_MAX_STEPS: def({
    schema: integer(1, 20),
    default: 6,
    expects: 'an integer from 1 to 20',
    description: 'Model calls per turn, tool round trips included.',
  }),
  TOOL_TIMEOUT_MS: def({
    schema: integer(100, 120_000),
    default: 10_000,
    expects: 'an integer number of milliseconds from 100 to 120000',
    description:
      'Time limit of one tool call; a tool that overruns gives the model an error result.',
  }),
  TOOLS_REQUIRING_APPROVAL: def({
    schema: z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[\w.-]{1,128}$/))),
    expects: 'tool names separated by commas',
    description:
      "Tools whose calls pause the run for the user's approval, besides those marked destructive (MCP's `destructiveHint`).",
  }),
  APPROVAL_TIMEOUT_SECONDS: def({
    schema: integer(1, 86_400),
    default: 300,
    expects: 'an integer number of seconds from 1 to 86400',
    description: 'How long a tool call waits for approval; no answer in time counts as Deny.',
  }),
  MEMORY_TTL_DAYS: def({
    schema: integer(1, 36_500),
    expects: 'an integer number of days from 1 to 36500',
    description:
      'How long a memory (a fact about the user) is kept, counted from when it was stored or last updated; older ones are never recalled and are deleted. Unset keeps memories until the user deletes them.',
  }),
  RUN_TTL_SECONDS: def({
    schema: integer(60, 604_800),
    default: 3600,
    expects: 'an integer number of seconds from 60 to 604800',
    description: "How long a run's events stay readable (resumable streams, other tabs).",
  }),
  RUN_APPEND_INTERVAL_MS: def({
    schema: integer(0, 1000),
    default: 50,
    expects: 'an integer number of milliseconds from 0 to 1000',
    description:
      "Upstash Redis only: shortest time between two writes of a run's events; events arriving meanwhile share one write (fewer round trips, that much more latency for readers).",
  }),
  DEMO_WORD_DELAY_MS: def({
    schema: integer(0, 1000),
    default: 35,
    expects: 'an integer number of milliseconds from 0 to 1000',
    description: 'Pace of the built-in demo model (0 answers at once).',
  }),
  INJECTION_GUARD_USER_INPUT: def({
    schema: guardPolicy,
    default: 'flag',
    expects: 'one of block, flag, off',
    description:
      "Injection guard on users' messages: `flag` answers a suspicious one wrapped as untrusted data; `block` would refuse about 2% of honest messages.",
  }),
  INJECTION_GUARD_TOOL_RESULT: def({
    schema: guardPolicy,
    default: 'flag',
    expects: 'one of block, flag, off',
    description:
      'Injection guard on tool, MCP and web results: `flag` wraps a suspicious one as untrusted data (the facts, not the orders); `block` breaks tools on pages about injection.',
  }),
  INJECTION_GUARD_RECALLED_MEMORY: def({
    schema: guardPolicy,
    default: 'block',
    expects: 'one of block, flag, off',
    description:
      'Injection guard on recalled memories: `block` leaves a suspicious one out (the turn goes on), so a poisoned memory cannot re-inject itself into every later turn.',
  }),
  API_KEY_HASHES: def({
    schema: z.string().regex(/^\s*[\w.@-]+:[0-9a-fA-F]{64}\s*(,\s*[\w.@-]+:[0-9a-fA-F]{64}\s*)*$/),
    expects: 'user:sha256hex entries separated by commas',
    description:
      'API keys given as SHA-256 hashes of their secrets, for deployments without a database.',
  }),
  SESSION_SECRET: def({
    schema: z.string().min(32),
    expects: 'a random string of at least 32 characters',
    description:
      'Signs guest cookies and CSRF tokens. Unset: generated under DATA_DIR (Bun, Deno, Node) or per isolate (Workers, sessions then do not survive).',
    secret: true,
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: def({
    schema: httpUrl,
    expects: 'an http(s) URL of an OTLP/HTTP collector, such as http://127.0.0.1:4318',
    description:
      'Sends traces (OTLP/HTTP JSON) to `{endpoint}/v1/traces`. Unset: no tracing, at no cost.',
  }),
  OTEL_EXPORTER_OTLP_HEADERS: def({
    schema: z.string(),
    expects: 'key=value pairs separated by commas (values URL-encoded)',
    description: "Headers sent with every trace export, e.g. a hosted collector's API key.",
    secret: true,
  }),
  OTEL_SERVICE_NAME: def({
    schema: z.string().min(1).max(100),
    default: 'outpost',
    expects: 'a service name of at most 100 characters',
    description: 'The `service.name` of exported traces.',
  }),
  METRICS_TOKEN: def({
    schema: z.string().min(16),
    expects: 'a random string of at least 16 characters',
    description:
      'Bearer token for `GET /metrics`. Unset: only loopback clients may scrape (Bun, Deno, Node); Workers refuse.',
    secret: true,
  }),
  METRICS_FLUSH_SECONDS: def({
    schema: integer(0, 300),
    default: 10,
    expects: 'an integer number of seconds from 0 to 300',
    description:
      'Workers: how often an isolate adds its metric changes to the shared counters in the KV store (0: after every request).',
  }),
  ...mcpServerSettings,
  ...toolSettings,
  ...limitSettings,
} satisfies Record<string, SettingDefinition<unknown>>

/** Pairs that only make sense together: setting one without the other is a problem. */
export const settingPairs: ReadonlyArray<readonly [keyof typeof settings, keyof typeof settings]> =
  [
    ['UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN'],
    ['UPSTASH_VECTOR_REST_URL', 'UPSTASH_VECTOR_REST_TOKEN'],
  ]
