import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../app-env.ts'
import { apiKeyAuth } from '../middleware/api-key-auth.ts'
import { conversationRoutes } from './api/conversation-routes.ts'
import { memoryRoutes } from './api/memory-routes.ts'
import { runRoutes } from './api/run-routes.ts'
import { usageRoutes } from './api/usage-routes.ts'
import { apiDocsRoutes } from './docs/api-docs-routes.tsx'
import { createOpenApiApp } from './http/openapi-app.ts'
import { chatCompletionsRoutes } from './v1/chat-completions-routes.ts'
import { messagesRoutes } from './v1/messages-routes.ts'
import { modelsRoutes } from './v1/models-routes.ts'

// Keys guard the program routes themselves; other /api paths (the public /api/ping
// diagnostics, and unknown paths, which stay plain 404s) are not behind them.
const guardedApiPaths = [
  '/api/conversations',
  '/api/conversations/*',
  '/api/runs/*',
  '/api/usage',
  '/api/memories',
  '/api/memories/*',
]

/**
 * The APIs for programs: REST under /api, the OpenAI- and Anthropic-compatible /v1, all
 * behind API keys, plus `/openapi.json` and `/docs` (public) generated from the same zod
 * schemas that validate the requests.
 */
export function programRoutes(): OpenAPIHono<AppEnv> {
  const app = createOpenApiApp()
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An Outpost API key (`npm run keys -- create --name NAME`)',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'x-api-key', {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'An Outpost API key, as Anthropic clients send it (on /v1/messages only)',
  })
  for (const path of guardedApiPaths) app.use(path, apiKeyAuth())
  app.use('/v1/*', apiKeyAuth({ xApiKeyPaths: ['/v1/messages'] }))
  app.route('/', conversationRoutes)
  app.route('/', runRoutes)
  app.route('/', usageRoutes)
  app.route('/', memoryRoutes)
  app.route('/', chatCompletionsRoutes)
  app.route('/', modelsRoutes)
  app.route('/', messagesRoutes)
  app.route('/', apiDocsRoutes(app))
  return app
}
