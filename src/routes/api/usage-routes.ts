import { createRoute, z } from '@hono/zod-openapi'
import { UnauthorizedError } from '../../core/auth/unauthorized-error.ts'
import { limitIdentity } from '../../core/gate/admit-stage.ts'
import { effectivePolicy } from '../../core/limits/limit-policy.ts'
import { readUsage, type UsageCounter } from '../../core/limits/read-usage.ts'
import { bearerSecurity, createOpenApiApp } from '../http/openapi-app.ts'
import { ErrorSchema } from './api-schemas.ts'

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } })

const CounterSchema = z.object({
  used: z.number(),
  limit: z.number().nullable().openapi({ description: 'null: no limit' }),
  resets_at: z.string().openapi({ format: 'date-time' }),
})

const UsageSchema = z
  .object({
    requests_per_minute: CounterSchema,
    tokens_per_minute: CounterSchema,
    concurrent_runs: z.object({ used: z.number(), limit: z.number().nullable() }),
    usd_today: CounterSchema,
    usd_this_month: CounterSchema,
  })
  .openapi('Usage')

const usage = createRoute({
  tags: ['Usage'],
  security: bearerSecurity,
  method: 'get',
  path: '/api/usage',
  summary: "This period's requests, tokens and spend for the calling key, with its limits",
  description:
    'Requests and tokens over the sliding minute, spend (US dollars at the catalog prices) ' +
    'for the UTC day and month. Limits are the key’s own, else the configured defaults.',
  responses: {
    200: { description: 'Usage and limits', ...json(UsageSchema) },
    401: { description: 'Missing, unknown or revoked API key', ...json(ErrorSchema) },
  },
})

const counter = (value: UsageCounter) => ({
  used: value.used,
  limit: value.limit,
  resets_at: new Date(value.resetsAt).toISOString(),
})

/** `GET /api/usage`: where the caller stands against its limits. Reading counts nothing. */
export const usageRoutes = createOpenApiApp().openapi(usage, async (c) => {
  const principal = c.get('principal')
  if (!principal) throw new UnauthorizedError()
  const { limiter, limits } = c.var.services
  const report = await readUsage(
    limiter,
    limitIdentity(principal),
    effectivePolicy(limits, principal.limits),
  )
  return c.json(
    {
      requests_per_minute: counter(report.requestsPerMinute),
      tokens_per_minute: counter(report.tokensPerMinute),
      concurrent_runs: report.concurrentRuns,
      usd_today: counter(report.usdToday),
      usd_this_month: counter(report.usdThisMonth),
    },
    200,
  )
})
