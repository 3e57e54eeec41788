import { createRoute } from '@hono/zod-openapi'
import { tiers } from '../../core/models/model-catalog.ts'
import { bearerSecurity, createOpenApiApp } from '../http/openapi-app.ts'
import { ModelListSchema, OpenAiErrorSchema } from './openai-schemas.ts'

const models = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['OpenAI-compatible'],
  security: bearerSecurity,
  summary: 'What `model` may name: auto, the tiers and the concrete models',
  responses: {
    200: {
      description: 'OpenAI-style list, with `kind`, tier candidates, capabilities and prices',
      content: { 'application/json': { schema: ModelListSchema } },
    },
    401: {
      description: 'Missing, unknown or revoked API key',
      content: { 'application/json': { schema: OpenAiErrorSchema } },
    },
  },
})

/** `GET /v1/models`: the router, each tier with its candidates, and each concrete model. */
export const modelsRoutes = createOpenApiApp().openapi(models, (c) => {
  const { catalog } = c.get('services').models
  const created = 0
  return c.json(
    {
      object: 'list' as const,
      data: [
        {
          id: 'auto',
          object: 'model' as const,
          created,
          owned_by: 'outpost',
          kind: 'router' as const,
        },
        ...tiers.map((tier) => ({
          id: tier,
          object: 'model' as const,
          created,
          owned_by: 'outpost',
          kind: 'tier' as const,
          candidates: catalog.tiers[tier].map((entry) => entry.id),
        })),
        ...catalog.entries().map((entry) => ({
          id: entry.id,
          object: 'model' as const,
          created,
          owned_by: entry.provider,
          kind: 'model' as const,
          capabilities: {
            tools: entry.capabilities.tools,
            vision: entry.capabilities.vision,
            context_window: entry.capabilities.contextWindow,
          },
          price: {
            input_per_mtok: entry.price.inputPerMTok,
            output_per_mtok: entry.price.outputPerMTok,
          },
        })),
      ],
    },
    200,
  )
})
