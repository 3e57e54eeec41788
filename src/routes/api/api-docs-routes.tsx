import type { OpenAPIHono } from '@hono/zod-openapi'
import { Hono } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { ApiDocsPage, type ApiDocument } from '../../views/api-docs-page.tsx'

/** Parameters of the vendor APIs that are accepted and ignored (listed on the docs page). */
export const ignoredParameters = [
  'chat/completions: frequency_penalty, presence_penalty, logit_bias, logprobs, top_logprobs',
  'chat/completions: top_p, seed, response_format, parallel_tool_calls, service_tier, store',
  'chat/completions: metadata, modalities, audio, prediction, reasoning_effort, web_search_options',
  'chat/completions: functions, function_call (the legacy forms of tools and tool_choice)',
  'chat/completions: user (accepted; not used for routing or accounting)',
  'messages: top_p, top_k, metadata, service_tier, thinking, container, mcp_servers',
  'messages: cache_control on blocks (no prompt caching), document and search_result blocks',
] as const

const info = {
  title: 'Outpost API',
  version: '1',
  description:
    'REST for conversations and resumable runs, and OpenAI- and Anthropic-compatible ' +
    'endpoints. Every /api and /v1 route needs an API key (`npm run keys -- create --name NAME`).',
}

/**
 * `GET /openapi.json` (OpenAPI 3.1, generated from the zod schemas that validate the requests
 * of `app`) and `GET /docs`, the same document as a page.
 */
export function apiDocsRoutes(app: OpenAPIHono<AppEnv>) {
  const document = () => app.getOpenAPI31Document({ openapi: '3.1.0', info })
  return new Hono<AppEnv>()
    .get('/openapi.json', (c) => c.json(document()))
    .get('/docs', (c) =>
      c.html(
        <ApiDocsPage
          document={document() as unknown as ApiDocument}
          unsupported={ignoredParameters}
        />,
      ),
    )
}
