import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { checkReadiness } from '../core/health/check-readiness.ts'

/** `GET /healthz`: liveness. No I/O and no configuration, so it answers even when both fail. */
export const livenessRoutes = new Hono<AppEnv>().get('/healthz', (c) => {
  c.header('Cache-Control', 'no-store')
  return c.json({ status: 'ok' })
})

/**
 * `GET /readyz`: asks every configured store and provider, each within READY_TIMEOUT_MS.
 * 200 when all answer, 503 with per-check detail when one does not.
 */
export const readinessRoutes = new Hono<AppEnv>().get('/readyz', async (c) => {
  const { readiness, config, runtime, stores } = c.var.services
  const report = await checkReadiness(readiness, { timeoutMs: config.READY_TIMEOUT_MS })
  c.header('Cache-Control', 'no-store')
  return c.json({ ...report, runtime, stores }, report.status === 'ready' ? 200 : 503)
})
