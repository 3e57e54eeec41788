import type { OpenAPIHono } from '@hono/zod-openapi'
import { Hono } from 'hono'
import type { AppEnv } from '../../app-env.ts'
import { ApiDocsPage, type ApiDocument } from '../../views/api-docs-page.tsx'
import { ignoredParameters } from '../v1/ignored-parameters.ts'

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
